package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import dev.alter.testing.TestIdp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Invariant 1 end to end: a random marker credential (and a marker identity token) goes through
 * every operation and error path; afterwards no table, no database file byte, no log line, no
 * response body and no audit record contains it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CanaryTest {
  @Parameter Backend backend;

  @Test
  void theMarkerNeverAppearsAnywhere() throws Exception {
    String marker = "canary" + UUID.randomUUID().toString().replace("-", "");
    String partMarker = marker + "part";
    String rotatedMarker = marker + "rotated";
    String tokenMarker = marker + "token";
    String awsSecretMarker = marker + "awssecret";
    String awsSessionMarker = marker + "awssession";
    String uploadMarker = marker + "upload";
    String uploadRotatedMarker = marker + "uploadrotated";
    List<String> markers =
        List.of(
            marker,
            partMarker,
            rotatedMarker,
            tokenMarker,
            awsSecretMarker,
            awsSessionMarker,
            uploadMarker,
            uploadRotatedMarker);

    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Logger ours = logs.getLogger("dev.alter");
    Level oursBefore = ours.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    ours.setLevel(Level.TRACE);
    PrintStream stdout = System.out;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));

    TestStore store = TestStore.create(backend, CanaryTest.class);
    List<String> tableRows = new ArrayList<>();
    List<String> bodies;
    IdentityValues identity;
    try {
      SettableClock clock = new SettableClock();
      try (TestService s = TestService.start(store, store.config().clock(clock).build())) {
        identity = exerciseEverything(s, marker, partMarker, rotatedMarker, tokenMarker);
        exerciseAws(s, clock, awsSecretMarker, awsSessionMarker);
        List<String> uploadTokens = exerciseUserUploads(s, uploadMarker, uploadRotatedMarker);
        IdentityValues beforeUploads = identity;
        identity =
            new IdentityValues(
                Stream.concat(beforeUploads.tokens().stream(), uploadTokens.stream()).toList(),
                beforeUploads.shownOnce());
        s.snapshot().values().forEach(tableRows::addAll);
        bodies = s.api.bodies;
        tableRows.add(s.api.get("/v1/audit?limit=1000", s.adminKey).body());
      }
      List<String> logLines = new ArrayList<>();
      for (ILoggingEvent e : captured.list) {
        logLines.add(e.getFormattedMessage());
        if (e.getThrowableProxy() != null) {
          logLines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
      }
      assertThat(logLines).as("some logging happened").isNotEmpty();
      String allLogs = String.join("\n", logLines) + console.toString(StandardCharsets.UTF_8);
      byte[] files = dataDirBytes(store.dataDir);
      if (backend == Backend.H2) {
        assertThat(Files.exists(store.dataDir.resolve("alter.mv.db"))).isTrue();
      }
      for (String m : markers) {
        assertThat(String.join("\n", tableRows)).as("store rows").doesNotContain(m);
        assertThat(String.join("\n", bodies)).as("response bodies").doesNotContain(m);
        assertThat(allLogs).as("logs").doesNotContain(m);
        assertThat(indexOf(files, m.getBytes(StandardCharsets.US_ASCII)))
            .as("bytes of the data directory")
            .isEqualTo(-1);
      }
      // A JWT and an agent token: the agent token appears in the one answer that shows it.
      List<String> shownOnce = identity.shownOnce();
      List<String> otherBodies = bodies.stream().filter(b -> !shownOnce.contains(b)).toList();
      for (String token : identity.tokens()) {
        assertThat(String.join("\n", tableRows)).as("store rows").doesNotContain(token);
        assertThat(String.join("\n", otherBodies)).as("response bodies").doesNotContain(token);
        assertThat(allLogs).as("logs").doesNotContain(token);
        assertThat(indexOf(files, token.getBytes(StandardCharsets.US_ASCII)))
            .as("bytes of the data directory")
            .isEqualTo(-1);
      }
      assertThat(bodies).hasSizeGreaterThan(25);
    } finally {
      System.setOut(stdout);
      root.detachAppender(captured);
      ours.setLevel(oursBefore);
      store.close();
    }
  }

  /**
   * A user uploads a marker key through the app's REST calls, rotates it to another marker, reads
   * its status, resolves it, is refused on every error path with the marker in the body, and
   * deletes it. Returns the user tokens sent.
   */
  private static List<String> exerciseUserUploads(
      TestService s, String uploadMarker, String uploadRotatedMarker) {
    ApiClient api = s.api;
    JsonNode app = s.createApp("canary-uploads");
    String appId = app.path("app_id").asText();
    String appKey = app.path("api_key").path("key").asText();
    try (TestIdp idp = TestIdp.start("https://sso.canary-uploads.test/realms/corp")) {
      String idpId = s.registerIdp(idp, "groups");
      api.put(
          "/v1/apps/" + appId + "/user-secret-allowances/datadog",
          s.adminKey,
          "{\"idp_ids\":[\"" + idpId + "\"]}");
      String jwt = idp.token("alice");
      String forged = idp.signedByAnotherKey("alice");
      String identity = "{\"identity\":" + ApiClient.quote(jwt);
      for (String key : List.of(uploadMarker, uploadRotatedMarker)) {
        ApiClient.Response stored =
            api.put(
                "/v1/user-secrets/datadog",
                appKey,
                identity + ",\"credential\":" + ApiClient.quote(key) + "}");
        assertThat(stored.status()).as(stored.body()).isIn(200, 201);
      }
      for (String refused :
          List.of(
              identity + ",\"credential\":" + ApiClient.quote(uploadMarker + " x") + "}",
              identity
                  + ",\"credential\":"
                  + ApiClient.quote(uploadMarker)
                  + ",\"destinations\":[\"https://evil.example\"]}",
              identity
                  + ",\"credential\":"
                  + ApiClient.quote(uploadMarker)
                  + ",\"user_id\":\"bob\"}",
              "{\"identity\":"
                  + ApiClient.quote(forged)
                  + ",\"credential\":"
                  + ApiClient.quote(uploadMarker)
                  + "}")) {
        api.put("/v1/user-secrets/datadog", appKey, refused);
      }
      api.put(
          "/v1/user-secrets/stripe",
          appKey,
          identity + ",\"credential\":" + ApiClient.quote(uploadMarker) + "}");
      api.post("/v1/user-secrets/datadog/status", appKey, identity + "}");
      api.post(
          "/v1/resolve",
          appKey,
          "{\"grant\":\"@datadog\",\"identity\":"
              + ApiClient.quote(jwt)
              + ",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/\"},\"public_key\":\""
              + CredentialSealing.encodePublicKey(
                  X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()))
              + "\"}");
      api.send("DELETE", "/v1/user-secrets/datadog", appKey, identity + "}");
      api.get("/v1/audit?app_id=" + appId, s.adminKey);
      return List.of(jwt, forged);
    }
  }

  /**
   * Identity values sent during the run, and the answers that legitimately showed an agent token
   * once.
   */
  private record IdentityValues(List<String> tokens, List<String> shownOnce) {}

  private static IdentityValues exerciseEverything(
      TestService s, String marker, String partMarker, String rotatedMarker, String tokenMarker) {
    ApiClient api = s.api;
    String admin = s.adminKey;
    JsonNode app = s.createApp("canary");
    String appId = app.path("app_id").asText();
    String appKey = app.path("api_key").path("key").asText();
    String q = ApiClient.quote(marker);

    // error paths of secret creation, each carrying the marker
    List<String> badCreates =
        List.of(
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"nosuch\",\"label\":\"l\",\"credential\":"
                + q
                + "}",
            "{\"app_id\":\"app_missing\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q
                + "}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + ApiClient.quote(marker + "\n")
                + "}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + ApiClient.quote(marker.repeat(500))
                + "}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":{\"v\":"
                + q
                + "}}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":["
                + q
                + "]}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q,
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q
                + "} trailing",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q
                + ",\"credential\":"
                + q
                + "}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q
                + ",\"bogus\":"
                + q
                + "}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"stripe\",\"label\":\"l\",\"credential\":"
                + q
                + ",\"credential_parts\":{\"application_key\":"
                + q
                + "}}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":"
                + q
                + ",\"destinations\":[\"https://"
                + marker
                + ".example/x\"]}",
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"datadog\",\"label\":\"l\",\"credential\":\""
                + marker.repeat(2000)
                + "\"}");
    for (String body : badCreates) {
      assertThat(api.post("/v1/secrets", admin, body).status())
          .as(body.length() > 200 ? "long body" : body)
          .isBetween(400, 413);
    }

    JsonNode secret =
        s.createSecret(
            appId,
            "datadog",
            marker,
            "\"credential_parts\":{\"application_key\":" + ApiClient.quote(partMarker) + "}");
    String secretId = secret.path("secret_id").asText();
    api.get("/v1/secrets/" + secretId, admin);
    api.get("/v1/secrets?app_id=" + appId, admin);
    api.patch("/v1/secrets/" + secretId, admin, "{\"label\":\"renamed\"}");
    api.patch("/v1/secrets/" + secretId, admin, "{\"credential\":" + q + "}");
    api.put(
        "/v1/secrets/" + secretId + "/credential",
        admin,
        "{\"credential\":" + ApiClient.quote(rotatedMarker + "\r") + "}");
    api.put(
        "/v1/secrets/" + secretId + "/credential",
        admin,
        "{\"credential\":" + q + ",\"credential_parts\":{\"nope\":" + q + "}}");
    api.put("/v1/secrets/ms_missing/credential", admin, "{\"credential\":" + q + "}");
    api.put("/v1/secrets/" + secretId + "/credential", appKey, "{\"credential\":" + q + "}");
    api.put("/v1/secrets/" + secretId + "/credential", null, "{\"credential\":" + q + "}");
    assertThat(
            api.put(
                    "/v1/secrets/" + secretId + "/credential",
                    admin,
                    "{\"credential\":"
                        + ApiClient.quote(rotatedMarker)
                        + ",\"credential_parts\":{\"application_key\":"
                        + ApiClient.quote(partMarker)
                        + "}}")
                .status())
        .isEqualTo(200);

    String grantId = s.createSystemGrant(secretId, "canary").path("grant_id").asText();
    String pk =
        CredentialSealing.encodePublicKey(
            X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()));
    String token = ApiClient.quote(tokenMarker);
    for (String url :
        List.of(
            "https://api.datadoghq.com/v1/check",
            "https://evil.example/",
            "http://api.datadoghq.com/")) {
      api.post(
          "/v1/resolve",
          appKey,
          "{\"grant\":\""
              + grantId
              + "\",\"identity\":"
              + token
              + ",\"destination\":{\"method\":\"POST\","
              + "\"url\":"
              + ApiClient.quote(url)
              + "},\"public_key\":\""
              + pk
              + "\"}");
    }
    api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\""
            + grantId
            + "\",\"identity\":"
            + token
            + ",\"destination\":{\"method\":\"POST\"},\"public_key\":"
            + q
            + "}");
    api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\"" + grantId + "\",\"identity\":" + token + ",\"bogus\":" + q + "}");
    api.post("/v1/resolve", appKey, "{\"grant\":\"" + grantId + "\",\"identity\":" + token);
    api.post("/v1/resolve", admin, "{\"grant\":\"" + grantId + "\",\"identity\":" + token + "}");
    api.post("/v1/resolve", null, "{\"grant\":\"" + grantId + "\",\"identity\":" + token + "}");
    ApiClient.Response createdAgent = api.post("/v1/agents", admin, "{\"label\":\"canary-agent\"}");
    String agentId = createdAgent.text("agent_id");
    String agentToken = createdAgent.text("token");
    ApiClient.Response rotated = api.post("/v1/agents/" + agentId + "/tokens", admin, "{}");
    String rotatedToken = rotated.text("token");
    api.get("/v1/agents/" + agentId, admin);
    api.get("/v1/agents", admin);
    ApiClient.Response agent =
        api.post(
            "/v1/grants",
            admin,
            "{\"secret_id\":\""
                + secretId
                + "\",\"principal\":{\"type\":\"agent\",\"agent_id\":\""
                + agentId
                + "\"}}");
    String jwt;
    try (TestIdp idp = TestIdp.start("https://sso.canary.test/realms/corp")) {
      String idpId = s.registerIdp(idp, "groups");
      String userGrant =
          s.createGrant(
              secretId,
              "canary-user",
              "{\"type\":\"user\",\"user_id\":\"alice\",\"idp_id\":\"" + idpId + "\"}");
      jwt = idp.token("alice", "sre");
      String otherJwt = idp.token("bob");
      for (String presented : List.of(jwt, otherJwt, agentToken, rotatedToken)) {
        for (String grant : List.of(userGrant, agent.text("grant_id"), "@datadog")) {
          api.post(
              "/v1/resolve",
              appKey,
              "{\"grant\":\""
                  + grant
                  + "\",\"identity\":"
                  + ApiClient.quote(presented)
                  + ",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/\"},\"public_key\":\""
                  + pk
                  + "\"}");
        }
      }
    }
    api.post("/v1/agents/" + agentId + "/revoke", admin, "{}");
    api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\""
            + agent.text("grant_id")
            + "\",\"identity\":"
            + ApiClient.quote(rotatedToken)
            + ",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/\"},\"public_key\":\""
            + pk
            + "\"}");
    api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\""
            + agent.text("grant_id")
            + "\",\"identity\":"
            + token
            + ",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/\"},\"public_key\":\""
            + pk
            + "\"}");
    api.post("/v1/grants/" + grantId + "/revoke", admin, "{}");
    api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":\""
            + grantId
            + "\",\"identity\":"
            + token
            + ",\"destination\":{\"method\":\"GET\",\"url\":\"https://api.datadoghq.com/\"},\"public_key\":\""
            + pk
            + "\"}");
    api.post("/v1/master-keys/rewrap", admin, "{}");
    api.get("/v1/master-keys", admin);
    api.get("/v1/grants?secret_id=" + secretId, admin);
    api.get("/metrics", null);
    api.delete("/v1/secrets/" + secretId, admin);
    api.get("/v1/audit", admin);
    return new IdentityValues(
        List.of(jwt, agentToken, rotatedToken), List.of(createdAgent.body(), rotated.body()));
  }

  /**
   * An aws secret whose secret access key and session token are markers: stored, rotated, resolved
   * (the opened payload holds a derived key, never the secret) and refused on every AWS error path.
   */
  private static void exerciseAws(
      TestService s, SettableClock clock, String secretMarker, String sessionMarker)
      throws Exception {
    ApiClient api = s.api;
    String admin = s.adminKey;
    JsonNode app = s.createApp("canary-aws");
    String appId = app.path("app_id").asText();
    String appKey = app.path("api_key").path("key").asText();
    String secret = ApiClient.quote(secretMarker);
    String session = ApiClient.quote(sessionMarker);
    String expiry = Instant.now().plusSeconds(3600).toString();
    String create =
        "{\"app_id\":\""
            + appId
            + "\",\"provider\":\"aws\",\"label\":\"l\",\"credential\":\"AKIDCANARY\","
            + "\"destinations\":[\"https://**.amazonaws.com\",\"https://storage.canary.test\"],";
    for (String badParts :
        List.of(
            "{\"secret_access_key\":"
                + secret
                + ",\"session_token\":"
                + session
                + ",\"session_expires_at\":"
                + secret
                + "}",
            "{\"secret_access_key\":" + secret + ",\"session_expires_at\":\"" + expiry + "\"}",
            "{\"secret_access_key\":"
                + secret
                + ",\"session_token\":"
                + session
                + ",\"session_expires_at\":\"2001-01-01T00:00:00Z\"}",
            "{\"session_token\":" + session + "}",
            "{\"secret_access_key\":" + ApiClient.quote(secretMarker + "\n") + "}",
            "{\"secret_access_key\":" + secret + ",\"region\":" + session + "}")) {
      ApiClient.Response r =
          api.post("/v1/secrets", admin, create + "\"credential_parts\":" + badParts + "}");
      assertThat(r.status()).as(r.body()).isEqualTo(400);
    }
    assertThat(
            api.post(
                    "/v1/secrets",
                    admin,
                    create.replace("AKIDCANARY", "AKID/" + secretMarker)
                        + "\"credential_parts\":{\"secret_access_key\":"
                        + secret
                        + "}}")
                .status())
        .isEqualTo(400);
    String parts =
        "\"credential_parts\":{\"secret_access_key\":"
            + secret
            + ",\"session_token\":"
            + session
            + ",\"session_expires_at\":\""
            + expiry
            + "\"}";
    ApiClient.Response created = api.post("/v1/secrets", admin, create + parts + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String secretId = created.text("secret_id");
    api.put(
        "/v1/secrets/" + secretId + "/credential",
        admin,
        "{\"credential\":\"AKIDCANARY\",\"credential_parts\":{"
            + "\"session_token\":"
            + session
            + "}}");
    assertThat(
            api.put(
                    "/v1/secrets/" + secretId + "/credential",
                    admin,
                    "{\"credential\":\"AKIDCANARY\"," + parts + "}")
                .status())
        .isEqualTo(200);
    api.get("/v1/secrets/" + secretId, admin);
    String grantId = s.createSystemGrant(secretId, "canary-aws").path("grant_id").asText();

    java.security.KeyPair keys = X25519Keys.generate();
    byte[] pk = X25519Keys.rawPublicKey(keys.getPublic());
    String resolve =
        "{\"grant\":\""
            + grantId
            + "\",\"public_key\":\""
            + CredentialSealing.encodePublicKey(pk)
            + "\",\"destination\":{\"method\":\"PUT\",\"url\":";
    ApiClient.Response ok =
        api.post(
            "/v1/resolve", appKey, resolve + "\"https://bucket.s3.eu-west-1.amazonaws.com/k\"}}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    dev.alter.contract.CredentialPayload payload =
        CredentialSealing.open(
            keys.getPrivate(),
            pk,
            grantId,
            ok.json().path("credential_version").asLong(),
            new com.fasterxml.jackson.databind.ObjectMapper()
                .treeToValue(ok.json().path("sealed"), dev.alter.contract.SealedBox.class));
    assertThat(payload.parts().values())
        .as("the agent's payload")
        .noneMatch(v -> v.contains(secretMarker));
    assertThat(payload.part("session_token"))
        .as("a session token does travel to the agent")
        .isEqualTo(sessionMarker);
    api.post("/v1/resolve", appKey, resolve + "\"https://storage.canary.test/k\"}}");
    api.post(
        "/v1/resolve",
        appKey,
        resolve + "\"https://s3.amazonaws.com/k\"},\"signing_date\":" + secret + "}");
    api.post(
        "/v1/resolve",
        appKey,
        resolve + "\"https://s3.amazonaws.com/k\"},\"signing_date\":\"19990101\"}");
    api.post("/v1/resolve", appKey, resolve + "\"https://evil.example/k\"}}");
    clock.pin(Instant.now().plusSeconds(7200));
    try {
      ApiClient.Response expired =
          api.post("/v1/resolve", appKey, resolve + "\"https://s3.amazonaws.com/k\"}}");
      assertThat(expired.code()).isEqualTo("credential_expired");
    } finally {
      clock.followSystemTime();
    }
    api.get("/v1/audit?grant_id=" + grantId, admin);
    api.delete("/v1/secrets/" + secretId, admin);
  }

  private static byte[] dataDirBytes(Path dir) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        all.write(Files.readAllBytes(p));
      }
    }
    return all.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
