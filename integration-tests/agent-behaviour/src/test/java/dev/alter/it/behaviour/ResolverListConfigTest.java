package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver list as the real agent jar reads it: an agent argument list, and a refused list. */
class ResolverListConfigTest {
  private static StandInProvider provider;
  private static ResolverServiceProcess service;
  private static AdminClient.App app;
  private static String credential;
  private static String grant;

  @BeforeAll
  static void start() {
    service = SharedResolverService.get();
    provider = new StandInProvider("resolver-list");
    AdminClient admin = service.admin();
    app = admin.createApp("resolver-list-it");
    credential = StandInProvider.randomCredential("dd");
    grant =
        admin.createSystemGrant(
            admin.storeSecretId(
                NewSecret.provider(app.appId, "datadog", credential)
                    .destinations(provider.origin())),
            "list");
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  private static JsonNode send(RunningChild child) {
    return child.ask(
        "request " + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anAgentArgumentListWhoseFirstReplicaIsDownInjectsThroughTheSecond() throws Exception {
    String resolvers = "http://127.0.0.1:" + deadPort() + "," + service.baseUrl();
    try (RunningChild child =
        provider
            .app(JavaRuntime.JDK_17, "HTTP_1_1")
            .withAgent()
            .agentArguments("resolver=" + resolvers + ",resolve_timeout=10s")
            .env("ALTER_API_KEY", app.apiKey)
            .start()) {
      child.nextReport(Duration.ofSeconds(30));
      JsonNode report = send(child);
      assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
      assertThat(
              provider
                  .server
                  .requests()
                  .get(provider.server.requests().size() - 1)
                  .headerValues("DD-API-KEY"))
          .containsExactly(credential);
      assertThat(child.stderr()).contains("started: resolver=" + resolvers);
      assertThat(child.stderr()).doesNotContain("configuration:");
    }
  }

  @Test
  void aListMixingHttpAndHttpsIsRefusedAtStartAndTaggedRequestsFailClosed() {
    int before = provider.server.requests().size();
    try (RunningChild child =
        provider
            .app(JavaRuntime.JDK_17, "HTTP_1_1")
            .withAgent()
            .resolver("https://127.0.0.1:1," + service.baseUrl(), app.apiKey)
            .start()) {
      child.nextReport(Duration.ofSeconds(30));
      JsonNode report = send(child);
      assertThat(report.path("error").path("code").asText())
          .as("report %s", report)
          .isEqualTo("resolver_unavailable");
      assertThat(report.path("error").path("grant_id").asText()).isEqualTo(grant);
      assertThat(provider.server.requests()).hasSize(before);
      assertThat(child.stderr())
          .contains(
              "configuration: resolver URLs from ALTER_RESOLVER_URL mix http and https; list"
                  + " replicas with one scheme (https in production)")
          .contains("resolver=NOT SET");
    }
  }
}
