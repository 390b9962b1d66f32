package dev.alter.it.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.alter.agent.bootstrap.AlterUserSecrets;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.child.UserKeysBackendApp;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import dev.alter.testing.TestIdp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Users connect their own keys (issue 19) end to end: a backend (a child JVM under the real agent)
 * stores each user's Datadog key with {@code AlterUserSecrets.store(provider, userJwt, key)} — the
 * app never handles its app key — and then calls Datadog with {@code alter-grant: @datadog} and
 * that user's JWT: the recording provider receives that user's key, a user without a key gets
 * {@code grant_not_found}, a re-upload rotates in place and a deletion ends it. Real JWTs from a
 * local IdP; the uploaded keys appear nowhere but at the recording provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserUploadedKeysTest {
  private final String aliceKey = "dd-alice-" + RandomHex.of(12);
  private final String aliceNewKey = "dd-alice-new-" + RandomHex.of(12);
  private final String bobKey = "dd-bob-" + RandomHex.of(12);
  private final String refusedKey = "dd-refused-" + RandomHex.of(12);
  private final String erinUsKey = "dd-erin-us-" + RandomHex.of(12);
  private final String erinEuKey = "dd-erin-eu-" + RandomHex.of(12);

  private ResolverServiceProcess service;
  private TestIdp idp;
  private RecordingServer provider;
  private TestCertificate certificate;
  private HostsFile hosts;
  private RunningChild backend;
  private AdminClient.App app;
  private final List<String> sentTokens = new CopyOnWriteArrayList<>();

  @BeforeAll
  void setUp() {
    Path work = SharedResolverService.workDirectory("user-keys");
    service = SharedResolverService.get();
    certificate = TestCertificate.generate(work, List.of("api.datadoghq.com"));
    hosts = HostsFile.loopback(work, List.of("api.datadoghq.com"));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    idp = TestIdp.start("https://sso.users.test/realms/corp");

    AdminClient admin = service.admin();
    String idpId = new IdentityAdmin(admin).registerIdp(idp);
    app = admin.createApp("user-keys-it-" + RandomHex.of(4));
    // the operator: this app's users may upload Datadog keys, going only to this origin
    admin.call(
        "PUT",
        "/v1/apps/" + app.appId + "/user-secret-allowances/datadog",
        Map.of("idp_ids", List.of(idpId), "destinations", List.of(origin()), "max_per_user", 2));

    backend =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(UserKeysBackendApp.class)
            .classpathOf(ScriptedJdkClient.class, AlterUserSecrets.class)
            .trusting(certificate)
            .hosts(hosts)
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .start();
    JsonNode ready = backend.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("agent_available").asBoolean()).as("%s", ready).isTrue();
    assertThat(ready.path("api_from_boot_loader").asBoolean())
        .as("the agent's copy wins over the one the app bundles")
        .isTrue();
  }

  @AfterAll
  void tearDown() {
    List<String> keys = List.of(aliceKey, aliceNewKey, bobKey, refusedKey, erinUsKey, erinEuKey);
    if (backend != null) {
      backend.close();
      for (String key : keys) {
        assertThat(backend.stdout()).as("everything the app observed").doesNotContain(key);
        assertThat(backend.stderr())
            .as("the app's stderr, with the agent's log")
            .doesNotContain(key);
      }
      for (String token : sentTokens) {
        assertThat(backend.stderr()).doesNotContain(token);
      }
    }
    String audit =
        service
            .admin()
            .call("GET", "/v1/audit?app_id=" + app.appId + "&limit=1000", null)
            .toString();
    String secrets =
        service.admin().call("GET", "/v1/secrets?app_id=" + app.appId, null).toString();
    for (String key : keys) {
      assertThat(service.log()).as("the resolver service's log").doesNotContain(key);
      assertThat(audit).as("the audit trail").doesNotContain(key);
      assertThat(secrets).as("what the operator sees").doesNotContain(key);
    }
    for (String token : sentTokens) {
      assertThat(service.log()).doesNotContain(token);
      assertThat(audit).doesNotContain(token);
    }
    if (provider != null) {
      provider.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @BeforeEach
  void clear() {
    provider.clear();
  }

  private String origin() {
    return "https://api.datadoghq.com:" + provider.port();
  }

  private String token(String user) {
    String token = idp.token(user);
    sentTokens.add(token);
    return token;
  }

  private JsonNode store(String jwt, String key) {
    return backend.ask("store datadog " + jwt + " " + key, Duration.ofSeconds(40));
  }

  private JsonNode call(String jwt) {
    return call("@datadog", jwt);
  }

  private JsonNode call(String grant, String jwt) {
    ChildRequest request =
        ChildRequest.get(origin() + "/api/v1/validate").grant(grant).header("alter-identity", jwt);
    return backend.ask("request " + request.toLine(), Duration.ofSeconds(40));
  }

  private String keyReceivedFor(String jwt) {
    return keyReceivedFor("@datadog", jwt);
  }

  private String keyReceivedFor(String grant, String jwt) {
    provider.clear();
    JsonNode report = call(grant, jwt);
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    RecordedRequest request = provider.singleRequest();
    assertThat(request.hasAnyAlterHeader()).as("alter-* headers on the wire").isFalse();
    List<String> keys = request.headerValues("DD-API-KEY");
    assertThat(keys).hasSize(1);
    return keys.get(0);
  }

  private void assertGrantNotFound(String jwt) {
    assertRefusedUnsent("@datadog", jwt, "grant_not_found");
  }

  private void assertRefusedUnsent(String grant, String jwt, String code) {
    provider.clear();
    JsonNode report = call(grant, jwt);
    assertThat(report.path("error").path("class").asText())
        .as("app report %s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(report.path("error").path("code").asText()).isEqualTo(code);
    assertThat(provider.requestCount()).as("requests that reached the provider").isZero();
  }

  private JsonNode userSecrets() {
    return service.admin().call("GET", "/v1/secrets?app_id=" + app.appId, null);
  }

  @Test
  void eachUserUploadsTheirOwnKeyAndTheAgentInjectsIt() {
    String alice = token("alice");
    String bob = token("bob");

    JsonNode stored = store(alice, aliceKey);
    assertThat(stored.path("stored").asBoolean()).as("%s", stored).isTrue();
    assertThat(stored.path("fingerprint").asText()).hasSize(8);
    assertThat(stored.path("key_cleared").asBoolean()).as("the char[] is wiped").isTrue();
    String grantId = stored.path("grant_id").asText();
    String secretId =
        service.admin().call("GET", "/v1/grants/" + grantId, null).path("secret_id").asText();

    assertThat(keyReceivedFor(alice)).isEqualTo(aliceKey);
    assertGrantNotFound(bob);

    assertThat(store(bob, bobKey).path("stored").asBoolean()).isTrue();
    assertThat(keyReceivedFor(bob)).isEqualTo(bobKey);
    assertThat(keyReceivedFor(alice)).as("still alice's own").isEqualTo(aliceKey);

    JsonNode rotated = store(alice, aliceNewKey);
    assertThat(rotated.path("grant_id").asText()).as("same grant").isEqualTo(grantId);
    assertThat(
            service.admin().call("GET", "/v1/grants/" + grantId, null).path("secret_id").asText())
        .as("same secret")
        .isEqualTo(secretId);
    assertThat(keyReceivedFor(alice))
        .as("the next resolve carries the new key")
        .isEqualTo(aliceNewKey);
    JsonNode status = backend.ask("status datadog " + alice, Duration.ofSeconds(40));
    assertThat(status.path("stored").asBoolean()).isTrue();
    assertThat(status.path("fingerprint").asText())
        .isEqualTo(rotated.path("fingerprint").asText())
        .isNotEqualTo(stored.path("fingerprint").asText());

    assertThat(
            backend
                .ask("delete datadog " + alice, Duration.ofSeconds(40))
                .path("deleted")
                .asBoolean())
        .isTrue();
    assertGrantNotFound(alice);
    assertThat(
            backend
                .ask("status datadog " + alice, Duration.ofSeconds(40))
                .path("stored")
                .asBoolean())
        .isFalse();
    assertThat(keyReceivedFor(bob)).as("bob's key is untouched").isEqualTo(bobKey);
  }

  /**
   * The operator allows two keys per user: the Java API's named overloads keep them side by side,
   * {@code @datadog} is then ambiguous for that user, and each key's grant id (from store and
   * status) picks one; only its owner's JWT resolves it, and a third name is over the limit.
   */
  @Test
  void aUserKeepsNamedKeysSideBySideWhenTheOperatorAllowsMore() {
    String erin = token("erin");
    String frank = token("frank");

    JsonNode us = backend.ask("store datadog " + erin + " " + erinUsKey, Duration.ofSeconds(40));
    assertThat(us.path("name").asText()).as("%s", us).isEqualTo("default");
    JsonNode eu =
        backend.ask(
            "store-named datadog eu-site " + erin + " " + erinEuKey, Duration.ofSeconds(40));
    assertThat(eu.path("stored").asBoolean()).as("%s", eu).isTrue();
    assertThat(eu.path("name").asText()).isEqualTo("eu-site");
    assertThat(eu.path("key_cleared").asBoolean()).isTrue();
    String usGrant = us.path("grant_id").asText();
    String euGrant = eu.path("grant_id").asText();
    assertThat(euGrant).startsWith("grt_").isNotEqualTo(usGrant);

    assertRefusedUnsent("@datadog", erin, "ambiguous_grant");
    assertThat(keyReceivedFor(euGrant, erin)).isEqualTo(erinEuKey);
    assertThat(keyReceivedFor(usGrant, erin)).isEqualTo(erinUsKey);
    assertRefusedUnsent(euGrant, frank, "principal_mismatch");

    JsonNode status = backend.ask("status-named datadog eu-site " + erin, Duration.ofSeconds(40));
    assertThat(status.path("stored").asBoolean()).as("%s", status).isTrue();
    assertThat(status.path("grant_id").asText()).isEqualTo(euGrant);
    assertThat(status.path("fingerprint").asText()).isEqualTo(eu.path("fingerprint").asText());
    assertThat(
            backend
                .ask("status-named datadog eu-site " + frank, Duration.ofSeconds(40))
                .path("stored")
                .asBoolean())
        .as("names are per user")
        .isFalse();

    JsonNode third =
        backend.ask("store-named datadog third " + erin + " " + refusedKey, Duration.ofSeconds(40));
    assertThat(third.path("error").path("code").asText())
        .as("%s", third)
        .isEqualTo("user_secret_limit_reached");
    assertThat(third.path("key_cleared").asBoolean()).isTrue();

    assertThat(
            backend
                .ask("delete-named datadog eu-site " + erin, Duration.ofSeconds(40))
                .path("deleted")
                .asBoolean())
        .isTrue();
    assertRefusedUnsent(euGrant, erin, "grant_revoked");
    assertThat(keyReceivedFor(erin))
        .as("one key left: @datadog is hers again")
        .isEqualTo(erinUsKey);
    assertThat(
            backend
                .ask("delete datadog " + erin, Duration.ofSeconds(40))
                .path("deleted")
                .asBoolean())
        .isTrue();
    assertGrantNotFound(erin);
  }

  @Test
  void refusedUploadsStoreNothingAndSayWhy() {
    String before = userSecrets().toString();
    JsonNode otherProvider =
        backend.ask("store stripe " + token("carol") + " " + refusedKey, Duration.ofSeconds(40));
    assertThat(otherProvider.path("error").path("class").asText())
        .isEqualTo("dev.alter.agent.bootstrap.AlterUserSecretException");
    assertThat(otherProvider.path("error").path("code").asText()).isEqualTo("provider_not_allowed");
    assertThat(otherProvider.path("key_cleared").asBoolean()).isTrue();

    String expired =
        TestIdp.sign(
            idp.rsa,
            JWSAlgorithm.RS256,
            idp.claims("carol")
                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                .build());
    String forged = idp.signedByAnotherKey("carol");
    sentTokens.add(expired);
    sentTokens.add(forged);
    for (String jwt : List.of(expired, forged)) {
      JsonNode refused = store(jwt, refusedKey);
      assertThat(refused.path("error").path("code").asText())
          .as("%s", refused)
          .isEqualTo("identity_invalid");
      assertThat(refused.path("error").path("message").asText()).doesNotContain(refusedKey);
    }
    assertThat(store(token("carol"), "dd\u00a0with-space").path("error").path("code").asText())
        .isEqualTo("malformed_credential");
    assertThat(userSecrets().toString()).as("nothing stored").isEqualTo(before);
  }

  @Test
  void withoutTheAgentTheApiSaysSoAndStoresNothing() {
    String before = userSecrets().toString();
    List<String> lines = new ArrayList<>();
    try (RunningChild plain =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(UserKeysBackendApp.class)
            .classpathOf(ScriptedJdkClient.class, AlterUserSecrets.class)
            .start()) {
      JsonNode ready = plain.nextReport(Duration.ofSeconds(30));
      assertThat(ready.path("agent_available").asBoolean()).isFalse();
      JsonNode refused = plain.ask("store datadog " + token("dave") + " " + refusedKey);
      assertThat(refused.path("error").path("class").asText())
          .isEqualTo("dev.alter.agent.bootstrap.AlterUserSecretException");
      assertThat(refused.path("error").path("code").asText()).isEqualTo("resolver_unavailable");
      assertThat(refused.path("error").path("message").asText())
          .contains("not running in this JVM")
          .contains("-javaagent");
      assertThat(refused.path("key_cleared").asBoolean()).isTrue();
      lines.add(plain.stdout());
    }
    assertThat(String.join("\n", lines)).doesNotContain(refusedKey);
    assertThat(userSecrets().toString()).isEqualTo(before);
  }
}
