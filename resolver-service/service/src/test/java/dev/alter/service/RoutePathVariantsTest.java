package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.Problem;
import dev.alter.contract.WireFormat;
import dev.alter.contract.X25519Keys;
import dev.alter.contract.proof.RequestSigning;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every registered route, spelled as Javalin might still match it (trailing slash, doubled slash,
 * changed case, percent-encoded characters), with every kind of key (none, an app key as a bearer
 * and as the agent's signature over the spelled path, an admin key, a managed agent's token as a
 * bearer and signing alone, revoked keys): each spelling is refused or reaches exactly the handler
 * the exact path reaches with that key, and no audit row carries an actor of the wrong kind.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class RoutePathVariantsTest {
  private static final Pattern PARAMETER = Pattern.compile("\\{([a-z_]+)}");

  @Parameter Backend backend;
  static TestService service;
  static Map<String, Key> keys;
  static Map<String, String> ids;
  static String resolveBody;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, RoutePathVariantsTest.class);
    JsonNode app = service.createApp("variants");
    String appId = app.path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", "sk-variants", null).path("secret_id").asText();
    String grantId = service.createSystemGrant(secretId, "v").path("grant_id").asText();
    String agentId = service.createAgent("variants").path("agent_id").asText();
    JsonNode revokedApp =
        service.api.post("/v1/apps/" + appId + "/keys", service.adminKey, "{}").json();
    service.api.delete(
        "/v1/apps/" + appId + "/keys/" + revokedApp.path("key_id").asText(), service.adminKey);
    JsonNode admin = service.api.post("/v1/admin-keys", service.adminKey, "{}").json();
    service.api.delete("/v1/admin-keys/" + admin.path("key_id").asText(), service.adminKey);
    String appKey = app.path("api_key").path("key").asText();
    keys = new LinkedHashMap<>();
    keys.put("no key", Key.bearer(null));
    keys.put("app key", Key.bearer(appKey));
    keys.put("signed app key", Key.signed(appKey));
    keys.put("admin key", Key.bearer(service.adminKey));
    String agentToken = service.createAgent("variants-token").path("token").asText();
    keys.put("agent token", Key.bearer(agentToken));
    keys.put("signed agent token", Key.signed(agentToken));
    keys.put("revoked app key", Key.bearer(revokedApp.path("key").asText()));
    keys.put("revoked admin key", Key.bearer(admin.path("key").asText()));
    // Real ids where the handler only reads; ids of nothing where it would change state.
    ids =
        Map.of(
            "app_id",
            appId,
            "secret_id",
            secretId,
            "grant_id",
            grantId,
            "agent_id",
            agentId,
            "idp_id",
            "idp_none",
            "key_id",
            "key_none",
            "provider",
            "datadog",
            "receiver_id",
            service
                .api
                .post("/v1/webhooks", service.adminKey, "{\"url\":\"https://siem.example.com/a\"}")
                .json()
                .path("receiver")
                .path("receiver_id")
                .asText());
    resolveBody =
        "{\"grant\":\""
            + grantId
            + "\",\"destination\":{\"method\":\"GET\","
            + "\"url\":\"https://api.stripe.com/v1/charges\"},\"public_key\":\""
            + CredentialSealing.encodePublicKey(
                X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()))
            + "\"}";
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  /** How a kind of key authorizes a request: its {@code Authorization} value for this request. */
  private interface Key {
    String authorization(String method, String path, String body);

    static Key bearer(String key) {
      return (method, path, body) -> key == null ? null : "Bearer " + key;
    }

    /**
     * As the agent sends it: a fresh signature with the key's proof key over this method, spelled
     * path and body.
     */
    static Key signed(String key) {
      return (method, path, body) ->
          service.api.signature(
              method,
              path,
              key,
              null,
              body,
              System.currentTimeMillis() / 1000,
              RequestSigning.newNonce());
    }
  }

  private static ApiClient.Response send(Endpoint e, String path, Key key) {
    return service.api.sendWithAuthorization(
        e.method.name(), path, key.authorization(e.method.name(), path, body(e)), body(e));
  }

  /** The path with parameters filled in; state-changing routes get ids of nothing. */
  private static String concrete(Endpoint e) {
    boolean changes = e.method == HandlerType.DELETE || e.path.endsWith("/revoke");
    Matcher m = PARAMETER.matcher(e.path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, changes ? m.group(1).replace("_id", "") + "_none" : ids.get(m.group(1)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A body every handler refuses before changing anything, except resolve's, which resolves. */
  private static String body(Endpoint e) {
    if (e.path.equals(WireFormat.RESOLVE_PATH)) {
      return resolveBody;
    }
    return e.method == HandlerType.GET || e.method == HandlerType.DELETE
        ? null
        : "{\"no_such_field\":true}";
  }

  private static List<String> variants(String path) {
    int second = path.indexOf('/', 1);
    List<String> out = new ArrayList<>();
    out.add(path + "/");
    out.add("/" + path);
    out.add(path.substring(0, second) + "/" + path.substring(second));
    out.add(path.toUpperCase(Locale.ROOT));
    out.add(
        path.substring(0, second + 1)
            + "%"
            + Integer.toHexString(path.charAt(second + 1))
            + path.substring(second + 2));
    out.add(path.substring(0, second) + "%2F" + path.substring(second + 1));
    out.add(path.substring(0, second) + "%2f" + path.substring(second + 1) + "/");
    out.add(path.replace("/", "/./"));
    out.add(path + "/..%2F" + path.substring(path.lastIndexOf('/') + 1));
    return out;
  }

  private static List<Endpoint> routes() {
    List<Endpoint> routes =
        service.running.endpoints().stream()
            .filter(e -> HandlerType.commonHttp().contains(e.method) && e.path.startsWith("/v1/"))
            .toList();
    assertThat(routes).hasSizeGreaterThan(30);
    return routes;
  }

  private record Outcome(int status, String code) {}

  private static Outcome outcome(ApiClient.Response r) {
    String type = r.contentType();
    if (r.status() < 400
        && (type.startsWith("application/x-ndjson") || type.startsWith("text/csv"))) {
      // the audit export and CSV download
      return new Outcome(r.status(), null);
    }
    assertThat(type)
        .as(r.body())
        .startsWith(r.status() < 400 ? "application/json" : Problem.MEDIA_TYPE);
    return new Outcome(r.status(), r.status() < 400 ? null : r.code());
  }

  @Test
  void exactPathsAnswerEachKeyKindAsItMayUseTheRoute() {
    for (Endpoint e : routes()) {
      boolean resolve = e.path.equals(WireFormat.RESOLVE_PATH);
      // the routes where an app's backend manages its users' keys: the body is refused first
      boolean userSecrets = e.path.startsWith("/v1/user-secrets/");
      // the change feed takes app keys like resolves (this test's body is not a subscription)
      boolean feed =
          e.path.equals(WireFormat.CHANGES_PATH)
              || e.path.equals(WireFormat.CHANGES_HEARTBEAT_PATH);
      boolean refusals = e.path.equals(WireFormat.POLICY_REFUSALS_PATH);
      // agents report usage with their app key, like resolves
      boolean usageReport = e.path.equals("/v1/usage/report");
      for (Map.Entry<String, Key> key : keys.entrySet()) {
        Outcome o = outcome(send(e, concrete(e), key.getValue()));
        String what = e.method + " " + e.path + " with " + key.getKey();
        switch (key.getKey()) {
          case "app key", "signed app key" -> {
            if (userSecrets) {
              // a body without a field the route needs, or a provider nobody allowed
              assertThat(o)
                  .as(what)
                  .isIn(
                      new Outcome(400, "validation_failed"),
                      new Outcome(403, "provider_not_allowed"));
            } else if (feed || refusals || usageReport) {
              assertThat(o.code())
                  .as(what)
                  .isNotIn("unauthorized", "forbidden", "unauthorized_app", "internal_error");
            } else {
              assertThat(o)
                  .as(what)
                  .isEqualTo(resolve ? new Outcome(200, null) : new Outcome(403, "forbidden"));
            }
          }
          case "admin key" -> {
            if (resolve || userSecrets || feed || refusals || usageReport) {
              assertThat(o).as(what).isEqualTo(new Outcome(403, "forbidden"));
            } else {
              assertThat(o.code())
                  .as(what)
                  .isNotIn("unauthorized", "forbidden", "unauthorized_app", "internal_error");
            }
          }
          default ->
              assertThat(o)
                  .as(what)
                  .isEqualTo(
                      new Outcome(
                          401,
                          resolve || userSecrets || feed || refusals || usageReport
                              ? "unauthorized_app"
                              : "unauthorized"));
        }
      }
    }
  }

  @Test
  void everyOtherSpellingIsRefusedOrReachesTheSameHandler() {
    int matched = 0;
    int refused = 0;
    for (Endpoint e : routes()) {
      String path = concrete(e);
      for (Map.Entry<String, Key> key : keys.entrySet()) {
        Outcome exact = outcome(send(e, path, key.getValue()));
        for (String variant : variants(path)) {
          ApiClient.Response r = send(e, variant, key.getValue());
          Outcome o = outcome(r);
          String what = e.method + " " + variant + " with " + key.getKey() + " → " + r.body();
          if (o.equals(exact)) {
            matched++;
          } else {
            // Unmatched: Javalin has no such endpoint, or Jetty refuses the URI before routing; a
            // signature over a spelling Jetty normalises no longer matches the path it reads.
            assertThat(o)
                .as(what)
                .isIn(
                    new Outcome(404, "not_found"),
                    new Outcome(400, "malformed_request"),
                    new Outcome(401, "signature_rejected"));
            refused++;
          }
        }
      }
    }
    assertThat(matched).as("spellings Javalin still matches (e.g. a trailing slash)").isPositive();
    assertThat(refused).as("spellings nothing matches").isPositive();
    assertNoActorOfTheWrongKind();
  }

  @Test
  void anAdminKeyOnResolveWithATrailingSlashIsForbiddenAndLeavesNoAdminResolveRow() {
    ApiClient.Response r =
        service.api.post(WireFormat.RESOLVE_PATH + "/", service.adminKey, resolveBody);
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("forbidden");
    for (String kind : List.of("app key", "signed app key")) {
      ApiClient.Response app =
          service.api.sendWithAuthorization(
              "POST",
              WireFormat.RESOLVE_PATH + "/",
              keys.get(kind).authorization("POST", WireFormat.RESOLVE_PATH + "/", resolveBody),
              resolveBody);
      assertThat(app.status()).as(kind + ": " + app.body()).isEqualTo(200);
    }
    assertNoActorOfTheWrongKind();
  }

  private static void assertNoActorOfTheWrongKind() {
    List<String> rows = service.rows("audit_events");
    assertThat(rows).isNotEmpty();
    for (JsonNode event :
        service.api.get("/v1/audit?limit=1000", service.adminKey).json().path("events")) {
      String actor = event.path("actor").asText();
      String action = event.path("action").asText();
      if (action.equals("resolve") || action.startsWith("user_secret.")) {
        assertThat(actor).as(event.toString()).doesNotStartWith("admin:");
      } else {
        assertThat(actor).as(event.toString()).startsWith("admin:");
      }
    }
  }
}
