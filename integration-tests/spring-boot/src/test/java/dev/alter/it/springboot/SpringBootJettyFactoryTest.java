package dev.alter.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RestClient on Spring's {@code JettyClientHttpRequestFactory} (Jetty {@code HttpClient} 12) in the
 * same fat jar: injected, no {@code alter-*} header sent, the credential out of the app's
 * interceptor and logs (Jetty's client logs at DEBUG), and a wrong app key failing the call closed
 * with nothing sent. Passes only with the agent's Jetty instrumentation.
 */
class SpringBootJettyFactoryTest {
  private static final String CLIENT = "restclient-jetty";
  private final ClientWorld world = ClientWorld.get();

  /** The JDK the app runs on. */
  JavaRuntime runtime() {
    return JavaRuntime.JDK_17;
  }

  @Test
  void jettyRequestFactoryGetsTheCredentialInvisiblyToTheApp() {
    try (RunningChild app = SpringBootApp.start(world, runtime(), world.app.apiKey)) {
      String path = "/boot/jetty/" + RandomHex.of(4);
      JsonNode report =
          SpringBootApp.call(app, CLIENT, world.datadogOrigin() + path, world.datadogGrant);

      assertThat(report.path("status").asInt()).as("%s\n%s", report, app.describe()).isEqualTo(200);
      List<RecordedRequest> received = SpringBootApp.received(world, path);
      assertThat(received).hasSize(1);
      assertThat(received.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertThat(received.get(0).hasAnyAlterHeader()).as("%s", received.get(0)).isFalse();
      assertThat(report.path("observed")).hasSize(2);
      for (JsonNode seen : report.path("observed")) {
        assertThat(seen.asText())
            .contains(world.datadogGrant)
            .doesNotContain(world.datadogKey)
            .doesNotContainIgnoringCase("DD-API-KEY");
      }
      app.close();
      assertThat(app.stdout() + app.stderr()).doesNotContain(world.datadogKey);
    }
  }

  @Test
  void jettyRequestFactoryFailsClosedWithAWrongAppKey() {
    try (RunningChild app =
        SpringBootApp.start(world, runtime(), "alter_key_app_" + RandomHex.of(24))) {
      String path = "/boot/jetty/refused/" + RandomHex.of(4);
      JsonNode report =
          SpringBootApp.call(app, CLIENT, world.datadogOrigin() + path, world.datadogGrant);

      assertThat(report.path("error").path("code").asText())
          .as("%s", report)
          .isEqualTo("unauthorized_app");
      assertThat(report.path("error").path("grant_id").asText()).isEqualTo(world.datadogGrant);
      assertThat(SpringBootApp.received(world, path)).isEmpty();
    }
  }
}
