package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code resolver} names a host with two addresses, the first of which refuses connections (the
 * service listens on 127.0.0.1 only; 127.0.0.2 is loopback too, with nothing on the port). The JDK
 * HttpClient alone would only ever dial the first address; the agent tries them one by one, so its
 * resolves and its change subscription both reach the service.
 */
class ResolverNameWithSeveralAddressesTest {
  private static final String NAME = "resolvers.alter.test";

  @Test
  void resolvesAndTheSubscriptionReachTheServiceThroughTheNamesSecondAddress() throws Exception {
    ResolverServiceProcess service = SharedResolverService.get();
    try (StandInProvider provider = new StandInProvider("resolver-addresses")) {
      AdminClient admin = service.admin();
      AdminClient.App app = admin.createApp("resolver-addresses-it");
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "addresses");
      Path hosts = provider.workDir.resolve("hosts-two-addresses");
      Files.write(
          hosts,
          List.of(
              "127.0.0.1 localhost",
              "127.0.0.1 " + StandInProvider.HOST,
              // in this order: the name's first address is the dead one
              "127.0.0.2 " + NAME,
              "127.0.0.1 " + NAME));
      String resolver = "http://" + NAME + ":" + service.port();
      try (RunningChild child =
          ChildJvm.create()
              .runtime(JavaRuntime.JDK_17)
              .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
              .trusting(provider.certificate)
              .jvmArgument("-Djdk.net.hosts.file=" + hosts)
              .withAgent()
              .resolver(resolver, app.apiKey)
              .systemProperty("alter.resolve.timeout", "10s")
              .start()) {
        child.nextReport(Duration.ofSeconds(30));

        JsonNode report =
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/api/v1/series").grant(grant).toLine(),
                Duration.ofSeconds(40));

        assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
        assertThat(provider.server.singleRequest().headerValues("DD-API-KEY"))
            .containsExactly(credential);
        assertThat(admin.resolveCount(grant)).isEqualTo(1);
        JsonNode connections = awaitConnection(admin, app.appId);
        assertThat(connections.path("connections"))
            .as("the agent's change subscription: %s", connections)
            .hasSize(1);
        assertThat(child.stderr()).contains("started: resolver=" + resolver);
      }
    }
  }

  private static JsonNode awaitConnection(AdminClient admin, String appId)
      throws InterruptedException {
    JsonNode list = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      list = admin.call("GET", "/v1/apps/" + appId + "/connections", null);
      if (list.path("connections").size() > 0) {
        return list;
      }
      Thread.sleep(200);
    }
    return list;
  }
}
