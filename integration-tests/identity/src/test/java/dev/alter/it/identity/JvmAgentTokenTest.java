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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A process that is one managed agent configures its token once for the whole JVM ({@code
 * ALTER_AGENT_TOKEN} or {@code -Dalter.agent.token.file}); its requests then carry only {@code
 * alter-grant}, and the agent sends the token as their identity. The token never appears in the
 * app's output or the agent's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmAgentTokenTest {
  private final String agentKey = "dd-agent-" + RandomHex.of(12);

  private ResolverServiceProcess service;
  private RecordingServer provider;
  private TestCertificate certificate;
  private HostsFile hosts;
  private Path work;
  private AdminClient.App app;
  private String agentGrant;
  private String agentToken;

  @BeforeAll
  void setUp() {
    work = SharedResolverService.workDirectory("identity-jvm-token");
    service = SharedResolverService.get();
    certificate = TestCertificate.generate(work, List.of("api.datadoghq.com"));
    hosts = HostsFile.loopback(work, List.of("api.datadoghq.com"));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");

    AdminClient admin = service.admin();
    IdentityAdmin identity = new IdentityAdmin(admin);
    app = admin.createApp("identity-jvm-" + RandomHex.of(4));
    String secret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", agentKey)
                .destinations("https://api.datadoghq.com:" + provider.port()));
    JsonNode agent = identity.createAgent("nightly-export");
    agentToken = agent.path("token").asText();
    agentGrant =
        identity.createAgentGrant(secret, "export-datadog", agent.path("agent_id").asText());
  }

  @AfterAll
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
    assertThat(service.log()).doesNotContain(agentToken).doesNotContain(agentKey);
  }

  private RunningChild start(ChildJvm child) {
    RunningChild running =
        child
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .hosts(hosts)
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  private JsonNode call(RunningChild backend, String grant) {
    return backend.ask(
        "request "
            + ChildRequest.get("https://api.datadoghq.com:" + provider.port() + "/api/v1/validate")
                .grant(grant)
                .toLine(),
        Duration.ofSeconds(40));
  }

  private void assertReceivedTheAgentsCredential(JsonNode report) {
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    RecordedRequest received = provider.singleRequest();
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(agentKey);
    assertThat(received.hasAnyAlterHeader()).isFalse();
  }

  @Test
  void tokenFromTheEnvironmentIsTheIdentityOfEveryTaggedRequest() {
    try (RunningChild backend = start(ChildJvm.create().env("ALTER_AGENT_TOKEN", agentToken))) {
      provider.clear();
      assertReceivedTheAgentsCredential(call(backend, agentGrant));
      provider.clear();
      assertReceivedTheAgentsCredential(call(backend, "@datadog"));

      backend.close();
      assertThat(backend.stderr())
          .contains("agent token=from ALTER_AGENT_TOKEN")
          .doesNotContain(agentToken);
      assertThat(backend.stdout()).doesNotContain(agentToken).doesNotContain(agentKey);
    }
  }

  @Test
  void tokenFileFromASystemPropertyWorksTheSame() throws Exception {
    Path tokenFile = Files.writeString(work.resolve("agent.token"), agentToken + "\n");
    try (RunningChild backend =
        start(ChildJvm.create().systemProperty("alter.agent.token.file", tokenFile.toString()))) {
      provider.clear();
      assertReceivedTheAgentsCredential(call(backend, agentGrant));
      backend.close();
      assertThat(backend.stderr())
          .contains("agent token=from -Dalter.agent.token.file")
          .doesNotContain(agentToken);
    }
  }

  @Test
  void withoutTheTokenTheAgentGrantIsRefusedAndNothingIsSent() {
    try (RunningChild backend = start(ChildJvm.create())) {
      provider.clear();
      JsonNode report = call(backend, agentGrant);
      assertThat(report.path("error").path("code").asText())
          .as("app report %s", report)
          .isEqualTo("principal_mismatch");
      assertThat(provider.requestCount()).isZero();
    }
  }
}
