package dev.alter.it.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real vendor SDK that sends through HttpURLConnection by default: the Stripe Java SDK with a
 * placeholder API key and {@code alter-grant} added through its request options, under the real
 * agent. The stand-in for api.stripe.com receives {@code Authorization: Bearer <stored key>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StripeSdkTest {
  private final ClientWorld world = ClientWorld.get();
  private RunningChild app;

  @BeforeAll
  void startApp() {
    world.provider.respond(
        "/v1/balance", CannedResponse.json("{\"object\":\"balance\",\"livemode\":false}"));
    world.provider.respond(
        "/v1/customers", CannedResponse.json("{\"id\":\"cus_test\",\"object\":\"customer\"}"));
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .main(StripeSdkApp.class, world.stripeOrigin())
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : stripeJars()) {
      child.classpathEntry(jar);
    }
    app = child.start();
    assertThat(app.nextReport(Duration.ofSeconds(30)).path("ready").asBoolean()).isTrue();
  }

  @AfterAll
  void credentialNeverReachedTheAppsOutput() {
    if (app != null) {
      try {
        assertThat(app.stdout()).doesNotContain(world.stripeKey);
        assertThat(app.stderr()).doesNotContain(world.stripeKey);
      } finally {
        app.close();
      }
    }
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  @Test
  void sdkGetCarriesTheStoredKeyInsteadOfThePlaceholder() {
    JsonNode report = app.ask("balance " + world.stripeGrant, Duration.ofSeconds(40));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.target()).isEqualTo("/v1/balance");
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.stripeKey);
    assertThat(received.hasAnyAlterHeader()).isFalse();
    // the SDK's own headers pass through untouched
    assertThat(received.header("Stripe-Version")).isNotBlank();
    assertThat(received.header("User-Agent")).startsWith("Stripe/");
  }

  @Test
  void sdkFormPostCarriesTheStoredKeyAndItsBodyUntouched() {
    JsonNode report = app.ask("customer " + world.stripeGrant, Duration.ofSeconds(40));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.stripeKey);
    assertThat(received.header("Idempotency-Key")).isNotBlank();
    assertThat(received.bodyText()).isEqualTo("email=jenny%40example.com&name=Jenny");
    assertThat(received.hasAnyAlterHeader()).isFalse();
  }

  @Test
  void revokedGrantFailsTheSdkCallWithTheAgentsErrorAndSendsNothing() {
    JsonNode report = app.ask("balance " + world.revokedGrant, Duration.ofSeconds(40));

    // the SDK wraps I/O failures in its ApiConnectionException; the agent's error is the cause
    assertThat(report.path("error").path("class").asText())
        .as("app report %s", report)
        .isEqualTo("com.stripe.exception.ApiConnectionException");
    assertThat(report.path("cause_chain").toString())
        .contains(
            "dev.alter.agent.bootstrap.AlterCredentialException",
            "grant_revoked",
            world.revokedGrant);
    assertThat(world.requestsReceivedEverywhere()).isZero();
  }

  private static List<Path> stripeJars() {
    Path dir = Path.of(System.getProperty("alter.it.clients", "target/clients")).resolve("stripe");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "SDK jars missing at " + dir + "; run mvn -pl integration-tests/http-url-connection test",
          e);
    }
  }
}
