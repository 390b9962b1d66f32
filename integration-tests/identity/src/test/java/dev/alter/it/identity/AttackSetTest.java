package dev.alter.it.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import dev.alter.testing.TestIdp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's attack set, end to end: each forged, stolen or misapplied identity is sent by an app
 * under the real agent with a real grant; the request fails in the app with the stable code and
 * nothing reaches the provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackSetTest {
  private final String userKey = "dd-user-" + RandomHex.of(12);

  private ResolverServiceProcess service;
  private TestIdp idp;
  private TestIdp otherIdp;
  private TestIdp attacker;
  private RecordingServer provider;
  private RunningChild backend;
  private String userGrant;
  private String groupGrant;
  private String otherIdpGrant;
  private String agentGrant;
  private String otherAgentToken;
  private String revokedAgentToken;

  @BeforeAll
  void setUp() {
    Path work = SharedResolverService.workDirectory("identity-attacks");
    service = SharedResolverService.get();
    TestCertificate certificate = TestCertificate.generate(work, List.of("api.datadoghq.com"));
    HostsFile hosts = HostsFile.loopback(work, List.of("api.datadoghq.com"));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    idp = TestIdp.start("https://sso.example.test/realms/corp");
    otherIdp = TestIdp.start("https://sso.partner.test");
    attacker = TestIdp.start("https://sso.example.test/realms/corp");

    AdminClient admin = service.admin();
    IdentityAdmin identity = new IdentityAdmin(admin);
    String idpId = identity.registerIdp(idp);
    String otherIdpId = identity.registerIdp(otherIdp);
    AdminClient.App app = admin.createApp("identity-attacks-" + RandomHex.of(4));
    String secret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", userKey)
                .destinations("https://api.datadoghq.com:" + provider.port()));
    userGrant = identity.createUserGrant(secret, "alice-datadog", "alice", idpId);
    otherIdpGrant = identity.createUserGrant(secret, "alice-at-partner", "alice", otherIdpId);
    groupGrant =
        admin
            .call(
                "POST",
                "/v1/grants",
                Map.of(
                    "secret_id",
                    secret,
                    "label",
                    "sre",
                    "principal",
                    Map.of("type", "group", "external_group_id", "sre", "idp_id", idpId)))
            .path("grant_id")
            .asText();
    String agentId = identity.createAgent("exporter").path("agent_id").asText();
    agentGrant = identity.createAgentGrant(secret, "exporter", agentId);
    otherAgentToken = identity.createAgent("someone-else").path("token").asText();
    JsonNode revoked = identity.createAgent("retired");
    revokedAgentToken = revoked.path("token").asText();
    admin.call("POST", "/v1/agents/" + revoked.path("agent_id").asText() + "/revoke", Map.of());

    backend =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .hosts(hosts)
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .start();
    backend.nextReport(Duration.ofSeconds(30));
  }

  @AfterAll
  void tearDown() {
    if (backend != null) {
      backend.close();
      assertThat(backend.stdout()).doesNotContain(userKey);
    }
    for (AutoCloseable c : new AutoCloseable[] {provider, idp, otherIdp, attacker}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing test servers
      }
    }
  }

  Stream<Arguments> attacks() {
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of(
            "alg none",
            userGrant,
            TestIdp.unsigned(idp.claims("alice").build()),
            "identity_invalid"),
        Arguments.of(
            "HS256 keyed with the IdP's public key",
            userGrant,
            idp.hmacWithPublicKey("alice"),
            "identity_invalid"),
        Arguments.of(
            "valid signature from an unlisted key",
            userGrant,
            idp.signedByAnotherKey("alice"),
            "identity_invalid"),
        Arguments.of("kid not in the JWKS", userGrant, idp.unknownKid("alice"), "identity_invalid"),
        Arguments.of(
            "jku naming the attacker's JWKS",
            userGrant,
            attacker.signedNamingOwnKeyUrl(idp.claims("alice").build(), false),
            "identity_invalid"),
        Arguments.of(
            "x5u naming the attacker's keys",
            userGrant,
            attacker.signedNamingOwnKeyUrl(idp.claims("alice").build(), true),
            "identity_invalid"),
        Arguments.of(
            "expired",
            userGrant,
            idp.token(
                idp.claims("alice")
                    .issueTime(Date.from(now.minusSeconds(7200)))
                    .expirationTime(Date.from(now.minusSeconds(3600)))
                    .build()),
            "identity_invalid"),
        Arguments.of(
            "nbf in the future",
            userGrant,
            idp.token(idp.claims("alice").notBeforeTime(Date.from(now.plusSeconds(3600))).build()),
            "identity_invalid"),
        Arguments.of(
            "wrong issuer",
            userGrant,
            idp.token(idp.claims("alice").issuer("https://evil.example").build()),
            "identity_invalid"),
        Arguments.of(
            "wrong audience",
            userGrant,
            idp.token(idp.claims("alice").audience("another-api").build()),
            "identity_invalid"),
        Arguments.of(
            "tampered payload", userGrant, idp.tampered("mallory", "alice"), "identity_invalid"),
        Arguments.of(
            "token of IdP A for a grant bound to IdP B",
            otherIdpGrant,
            idp.token("alice"),
            "principal_mismatch"),
        Arguments.of(
            "group grant, group not in the token",
            groupGrant,
            idp.token("alice"),
            "principal_mismatch"),
        Arguments.of(
            "another user's JWT for a user grant",
            userGrant,
            idp.token("mallory"),
            "principal_mismatch"),
        Arguments.of("revoked agent token", agentGrant, revokedAgentToken, "identity_invalid"),
        Arguments.of("another agent's token", agentGrant, otherAgentToken, "principal_mismatch"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void isRejectedAndNothingIsSent(String attack, String grant, String token, String code) {
    provider.clear();
    JsonNode report =
        backend.ask(
            "request "
                + ChildRequest.get(
                        "https://api.datadoghq.com:" + provider.port() + "/api/v1/validate")
                    .grant(grant)
                    .header("alter-identity", token)
                    .toLine(),
            Duration.ofSeconds(40));

    JsonNode error = report.path("error");
    assertThat(error.path("class").asText())
        .as("app report %s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("code").asText()).as("app report %s", report).isEqualTo(code);
    assertThat(error.path("message").asText()).doesNotContain(token);
    assertThat(provider.requestCount()).as("requests that reached the provider").isZero();
  }
}
