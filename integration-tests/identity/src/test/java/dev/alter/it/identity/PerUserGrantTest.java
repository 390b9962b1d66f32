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
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import dev.alter.testing.TestIdp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-user pattern end to end: a backend (a child JVM with {@code java.net.http.HttpClient}
 * under the real agent) calls Datadog with {@code alter-grant: @datadog} and the calling user's JWT
 * in {@code alter-identity}; the real resolver service verifies the token against a local IdP and
 * picks that user's own grant, and the recording provider receives that user's key. Forged tokens
 * fail in the app with {@code identity_invalid} and nothing is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerUserGrantTest {
  private final String aliceKey = "dd-alice-" + RandomHex.of(12);
  private final String bobKey = "dd-bob-" + RandomHex.of(12);
  private final String agentKey = "dd-agent-" + RandomHex.of(12);

  private ResolverServiceProcess service;
  private TestIdp idp;
  private RecordingServer provider;
  private TestCertificate certificate;
  private HostsFile hosts;
  private RunningChild backend;
  private String agentGrant;
  private String agentToken;
  private String agentId;
  private IdentityAdmin identity;

  /** Every alter-identity value the app sent: none may show up in its output or the service log. */
  private final List<String> sentTokens = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  void setUp() {
    Path work = SharedResolverService.workDirectory("identity");
    service = SharedResolverService.get();
    certificate = TestCertificate.generate(work, List.of("api.datadoghq.com"));
    hosts = HostsFile.loopback(work, List.of("api.datadoghq.com"));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    idp = TestIdp.start("https://sso.example.test/realms/corp");

    AdminClient admin = service.admin();
    identity = new IdentityAdmin(admin);
    String idpId = identity.registerIdp(idp);
    AdminClient.App app = admin.createApp("identity-it-" + RandomHex.of(4));
    String aliceSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", aliceKey).destinations(origin()));
    String bobSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", bobKey).destinations(origin()));
    identity.createUserGrant(aliceSecret, "alice-datadog", "alice", idpId);
    identity.createUserGrant(bobSecret, "bob-datadog", "bob", idpId);

    String agentSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", agentKey).destinations(origin()));
    JsonNode agent = identity.createAgent("nightly-export");
    agentId = agent.path("agent_id").asText();
    agentToken = agent.path("token").asText();
    agentGrant = identity.createAgentGrant(agentSecret, "export-datadog", agentId);

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
      for (String secret : List.of(aliceKey, bobKey, agentKey)) {
        assertThat(backend.stdout()).as("everything the app observed").doesNotContain(secret);
      }
      for (String token : sentTokens) {
        assertThat(backend.stderr())
            .as("the app's stderr, with the agent's log")
            .doesNotContain(token);
      }
    }
    for (String value : sentTokens) {
      assertThat(service.log()).as("the resolver service's log").doesNotContain(value);
    }
    assertThat(service.log())
        .doesNotContain(aliceKey)
        .doesNotContain(bobKey)
        .doesNotContain(agentKey);
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

  private JsonNode call(String grant, String token) {
    ChildRequest request = ChildRequest.get(origin() + "/api/v1/validate").grant(grant);
    if (token != null) {
      sentTokens.add(token);
      request.header("alter-identity", token);
    }
    return backend.ask("request " + request.toLine(), Duration.ofSeconds(40));
  }

  private RecordedRequest received() {
    RecordedRequest request = provider.singleRequest();
    assertThat(request.hasAnyAlterHeader())
        .as("alter-* headers on the wire: %s", request)
        .isFalse();
    return request;
  }

  private void assertFailedClosed(JsonNode report, String code) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText())
        .as("app report %s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("code").asText()).as("app report %s", report).isEqualTo(code);
    assertThat(provider.requestCount()).as("requests that reached the provider").isZero();
  }

  @Test
  void eachUserReceivesTheirOwnCredentialThroughTheProviderShorthand() {
    JsonNode alice = call("@datadog", idp.token("alice"));
    assertThat(alice.path("status").asInt()).as("app report %s", alice).isEqualTo(200);
    assertThat(received().headerValues("DD-API-KEY")).containsExactly(aliceKey);

    provider.clear();
    JsonNode bob = call("@datadog", idp.ecToken("bob"));
    assertThat(bob.path("status").asInt()).as("app report %s", bob).isEqualTo(200);
    assertThat(received().headerValues("DD-API-KEY")).containsExactly(bobKey);

    provider.clear();
    JsonNode aliceAgain = call("@datadog", idp.token("alice"));
    assertThat(aliceAgain.path("status").asInt()).isEqualTo(200);
    assertThat(received().headerValues("DD-API-KEY"))
        .as("the cache is keyed per identity")
        .containsExactly(aliceKey);
  }

  @Test
  void aUserWithoutAGrantOfTheProviderGetsGrantNotFound() {
    assertFailedClosed(call("@datadog", idp.token("carol")), "grant_not_found");
  }

  @Test
  void anUnsignedTokenFailsWithIdentityInvalidAndNothingIsSent() {
    assertFailedClosed(
        call("@datadog", TestIdp.unsigned(idp.claims("alice").build())), "identity_invalid");
  }

  @Test
  void aTokenSignedWithAnUnpublishedKeyFailsWithIdentityInvalidAndNothingIsSent() {
    assertFailedClosed(call("@datadog", idp.signedByAnotherKey("alice")), "identity_invalid");
  }

  @Test
  void anAgentGrantResolvesOnlyWithThatAgentsToken() {
    String otherToken = identity.createAgent("someone-else").path("token").asText();
    assertFailedClosed(call(agentGrant, otherToken), "principal_mismatch");

    JsonNode ok = call(agentGrant, agentToken);
    assertThat(ok.path("status").asInt()).as("app report %s", ok).isEqualTo(200);
    assertThat(received().headerValues("DD-API-KEY")).containsExactly(agentKey);

    JsonNode audit =
        service.admin().call("GET", "/v1/audit?grant_id=" + agentGrant + "&outcome=denied", null);
    assertThat(audit.toString()).doesNotContain(agentToken).doesNotContain(otherToken);
    assertThat(audit.path("events").findValuesAsText("reason"))
        .anySatisfy(reason -> assertThat(reason).startsWith("principal_mismatch: other_agent"));
  }
}
