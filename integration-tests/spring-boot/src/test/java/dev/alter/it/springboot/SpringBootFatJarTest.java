package dev.alter.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring Boot 3.5 application, packaged as an executable fat jar and started with {@code java
 * -jar} under the real agent: every client Spring offers gets the Datadog credential, sends no
 * {@code alter-*} header, and the credential stays out of the app's interceptors, exchange filters
 * and logs (Spring's request logging, Reactor Netty's wiretap, Apache's header and wire logs); the
 * same jar with a wrong app key fails every call closed, with nothing sent. The Jetty request
 * factory is the separate {@link SpringBootJettyFactoryTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootFatJarTest {
  static List<String> clients() {
    return List.of(
        "webclient",
        "restclient-jdk",
        "restclient-apache",
        "restclient-urlconnection",
        "restclient-reactor",
        "resttemplate");
  }

  private final ClientWorld world = ClientWorld.get();

  /** The JDK the app runs on. */
  JavaRuntime runtime() {
    return JavaRuntime.JDK_17;
  }

  private RunningChild app;
  private RunningChild wrongKeyApp;

  @BeforeAll
  void startApps() {
    app = SpringBootApp.start(world, runtime(), world.app.apiKey);
    wrongKeyApp = SpringBootApp.start(world, runtime(), "alter_key_app_" + RandomHex.of(24));
  }

  @AfterAll
  void stopApps() {
    for (RunningChild child : Stream.of(app, wrongKeyApp).filter(Objects::nonNull).toList()) {
      child.close();
      String output = child.stdout() + child.stderr();
      for (String credential : world.credentials()) {
        assertThat(output).as("the app's output").doesNotContain(credential);
      }
      assertThat(output).as("the app key").doesNotContain(world.app.apiKey);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void everyClientGetsTheCredentialAndNoAlterHeaderGoesOut(String client) {
    String path = "/boot/" + client + "/" + RandomHex.of(4);
    JsonNode report =
        SpringBootApp.call(app, client, world.datadogOrigin() + path, world.datadogGrant);

    assertThat(report.path("error").isMissingNode()).as("%s\n%s", report, app.describe()).isTrue();
    assertThat(report.path("status").asInt()).isEqualTo(200);
    List<RecordedRequest> received = SpringBootApp.received(world, path);
    assertThat(received).as("%s", report).hasSize(1);
    RecordedRequest request = received.get(0);
    assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(request.hasAnyAlterHeader()).as("%s", request).isFalse();
    assertThat(request.header("X-Marker")).isEqualTo("app-" + client);
  }

  @ParameterizedTest
  @MethodSource("clients")
  void theCredentialIsInvisibleToTheAppsInterceptorsFiltersAndLogs(String client) {
    int stdoutFrom = app.stdout().length();
    String path = "/boot/seen/" + client + "/" + RandomHex.of(4);
    JsonNode report =
        SpringBootApp.call(app, client, world.datadogOrigin() + path, world.datadogGrant);

    assertThat(report.path("status").asInt()).as("%s", report).isEqualTo(200);
    JsonNode observed = report.path("observed");
    assertThat(observed).as("what the interceptor or filter saw, before and after").hasSize(2);
    for (JsonNode seen : observed) {
      assertThat(seen.asText())
          .contains(world.datadogGrant, "app-" + client)
          .doesNotContain(world.datadogKey)
          .doesNotContainIgnoringCase("DD-API-KEY");
    }
    String logged = app.stdout().substring(stdoutFrom) + app.stderr();
    assertThat(logged).doesNotContain(world.datadogKey);
    if (client.equals("webclient") || client.equals("restclient-reactor")) {
      assertThat(logged).as("Reactor Netty's wiretap logged the request").contains("app-" + client);
    }
    if (client.equals("restclient-apache")) {
      assertThat(logged).as("Apache's header log").contains("app-" + client);
    }
  }

  @ParameterizedTest
  @MethodSource("clients")
  void aWrongAppKeyFailsEveryClientClosedWithNothingSent(String client) {
    String path = "/boot/refused/" + client + "/" + RandomHex.of(4);
    JsonNode report =
        SpringBootApp.call(wrongKeyApp, client, world.datadogOrigin() + path, world.datadogGrant);

    assertThat(SpringBootApp.received(world, path)).as("%s", report).isEmpty();
    assertThat(report.path("status").isMissingNode()).as("%s", report).isTrue();
    assertThat(report.path("error").path("chain")).as("%s", report).isNotEmpty();
  }

  /**
   * The refusal reaches the app as the agent's exception (code and grant id) in the cause chain of
   * what the client throws or signals.
   */
  @ParameterizedTest
  @MethodSource("clients")
  void aWrongAppKeyReachesTheAppAsTheAgentsException(String client) {
    String path = "/boot/refused-as/" + client + "/" + RandomHex.of(4);
    JsonNode report =
        SpringBootApp.call(wrongKeyApp, client, world.datadogOrigin() + path, world.datadogGrant);

    JsonNode error = report.path("error");
    assertThat(error.path("code").asText()).as("%s", report).isEqualTo("unauthorized_app");
    assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
    assertThat(error.path("class").asText())
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(SpringBootApp.received(world, path)).isEmpty();
  }
}
