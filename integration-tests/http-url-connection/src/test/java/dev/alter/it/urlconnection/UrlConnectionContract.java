package dev.alter.it.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * Behaviours 1–5 of the agent for {@code java.net.HttpURLConnection} (HTTPS through
 * {@code HttpsURLConnection}, plain HTTP where a secret allows it) on one JDK, in a child JVM
 * under the real agent, with the JDK's own HTTP logger at FINEST and its raw traffic capture on.
 * A second child without the agent records what the same app sends untouched, as the baseline
 * for "unchanged".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UrlConnectionContract {
  private final JavaRuntime runtime;
  private final UrlConnectionWorld world = UrlConnectionWorld.get();
  private RunningChild app;
  private RunningChild appWithoutAgent;

  UrlConnectionContract(JavaRuntime runtime) {
    this.runtime = runtime;
  }

  @BeforeAll
  void startApps() {
    app = launch(true);
    appWithoutAgent = launch(false);
  }

  private RunningChild launch(boolean withAgent) {
    ChildJvm child = ChildJvm.create().runtime(runtime)
        .main(ScriptedUrlConnectionClient.class)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts)
        .systemProperty("app.jdk.http.log", "true");
    if (withAgent) {
      child.withAgent().resolver(world.service.baseUrl(), world.app.apiKey)
          .systemProperty("sun.net.http.captureRules", captureRules().toString());
    }
    RunningChild running = child.start();
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("java_version").asInt()).as(running.describe())
        .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    return running;
  }

  /**
   * The JDK's raw traffic capture for every connection to the plain-HTTP server (decided when a
   * connection opens, so it covers kept-alive connections too), into this runtime's files.
   */
  private Path captureRules() {
    try {
      Path rules = world.workDir.resolve("capture-rules-" + runtime);
      Files.writeString(rules, "//localhost:" + world.plain.port() + "/ , "
          + world.workDir.resolve("capture-" + runtime + "-%d.log") + "\n");
      return rules;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String captured() {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(world.workDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("capture-" + runtime + "-"))
          .collect(Collectors.toList())) {
        all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (app == null) {
      return;
    }
    try {
      for (String credential : world.credentials()) {
        assertThat(app.stdout()).as("everything the app observed").doesNotContain(credential);
        assertThat(app.stderr()).as("stderr with the JDK's FINEST HTTP log").doesNotContain(credential);
      }
    } finally {
      app.close();
      if (appWithoutAgent != null) {
        appWithoutAgent.close();
      }
    }
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private JsonNode send(ChildRequest request) {
    return send("request", request);
  }

  private JsonNode send(String bodyMode, ChildRequest request) {
    return app.ask(bodyMode + " " + request.toLine(), Duration.ofSeconds(40));
  }

  private static void assertNoAlterHeaders(RecordedRequest received) {
    assertThat(received.hasAnyAlterHeader()).as("alter-* headers on the wire: %s", received).isFalse();
  }

  private static void assertSucceeded(JsonNode report) {
    assertThat(report.has("error")).as("app report %s", report).isFalse();
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
  }

  private void assertFailedClosed(JsonNode report, String code, String grant) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText()).as("app report %s", report)
        .isEqualTo("dev.alter.agent.bootstrap.AlterCredentialException");
    assertThat(error.path("is_io_exception").asBoolean()).isTrue();
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(error.path("grant_id").asText()).isEqualTo(grant);
    assertThat(error.path("message").asText()).contains(grant, code, "Fix:");
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
  }

  // --- 1. injection exactly per template ---------------------------------------------------

  @Test
  void taggedRequestCarriesExactlyTheTemplateHeader() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.protocol()).isEqualTo("HTTP/1.1");
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received.target()).isEqualTo("/api/v1/validate");
    assertNoAlterHeaders(received);
  }

  @Test
  void placeholderAuthorizationIsReplacedWhileOtherHeadersAndBodyPassUntouched() {
    String body = "amount=2000&currency=eur&description=h%C3%A9llo";
    JsonNode report = send(ChildRequest.post(world.stripeOrigin() + "/v1/charges?expand=customer", body)
        .grant(world.stripeGrant)
        .header("Authorization", "Bearer placeholder")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Idempotency-Key", "idem-42")
        .header("Stripe-Version", "2024-06-20"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.stripeKey);
    assertThat(received.headerValues("Content-Type")).containsExactly("application/x-www-form-urlencoded");
    assertThat(received.headerValues("Idempotency-Key")).containsExactly("idem-42");
    assertThat(received.headerValues("Stripe-Version")).containsExactly("2024-06-20");
    assertThat(received.target()).isEqualTo("/v1/charges?expand=customer");
    assertThat(received.bodyText()).isEqualTo(body);
    assertNoAlterHeaders(received);
  }

  @Test
  void fixedLengthAndChunkedStreamingBodiesArriveUntouched() {
    String body = "{\"series\":[{\"metric\":\"alter.it\",\"points\":[[1700000000,1.5]]}]}";
    for (String mode : List.of("fixed", "chunked")) {
      world.clearRecordings();
      JsonNode report = send(mode, ChildRequest.post(world.datadogOrigin() + "/api/v1/series", body)
          .grant(world.datadogGrant).header("Content-Type", "application/json"));

      assertSucceeded(report);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.headerValues("DD-API-KEY")).as(mode).containsExactly(world.datadogKey);
      assertThat(received.bodyText()).as(mode).isEqualTo(body);
      if (mode.equals("chunked")) {
        assertThat(received.header("Transfer-Encoding")).isEqualTo("chunked");
      } else {
        assertThat(received.header("Content-Length")).isEqualTo(String.valueOf(body.length()));
      }
      assertNoAlterHeaders(received);
    }
  }

  @Test
  void untaggedRequestIsExactlyWhatTheAppSendsWithoutTheAgent() {
    ChildRequest request = ChildRequest.post(world.datadogOrigin() + "/api/v2/logs?ddsource=java",
            "[{\"message\":\"plain\"}]")
        .header("Content-Type", "application/json")
        .header("DD-API-KEY", "the-apps-own-key")
        .header("X-Custom", "a, b");

    assertSucceeded(send(request));
    RecordedRequest underAgent = world.provider.singleRequest();
    world.clearRecordings();
    assertSucceeded(appWithoutAgent.ask("request " + request.toLine(), Duration.ofSeconds(40)));
    RecordedRequest withoutAgent = world.provider.singleRequest();

    assertThat(underAgent.method()).isEqualTo(withoutAgent.method());
    assertThat(underAgent.target()).isEqualTo(withoutAgent.target());
    assertThat(underAgent.headers()).isEqualTo(withoutAgent.headers());
    assertThat(underAgent.body()).isEqualTo(withoutAgent.body());
  }

  @Test
  void grantHeaderNameIsCaseInsensitive() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .header("ALTER-GRANT", world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertNoAlterHeaders(received);
  }

  // --- 2. alter-* removed on every hop -----------------------------------------------------

  @Test
  void identityHeaderWithoutGrantIsStrippedAndNothingIsInjected() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .header("alter-identity", "eyJhbGciOiJub25lIn0.e30.")
        .header("X-Keep", "kept"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertNoAlterHeaders(received);
    assertThat(received.hasHeader("DD-API-KEY")).isFalse();
    assertThat(received.header("X-Keep")).isEqualTo("kept");
  }

  @Test
  void sameOriginRedirectKeepsTheCredentialAndStripsAlterHeadersOnEveryHop() {
    world.provider.respond("/redirect/start", CannedResponse.redirect(302, "/redirect/landing"));
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/redirect/start")
        .grant(world.datadogGrant));

    assertSucceeded(report);
    List<RecordedRequest> hops = world.provider.requests();
    assertThat(hops).extracting(RecordedRequest::target)
        .containsExactly("/redirect/start", "/redirect/landing");
    for (RecordedRequest hop : hops) {
      assertThat(hop.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertNoAlterHeaders(hop);
    }
    assertThat(report.path("final_url").asText()).endsWith("/redirect/landing");
  }

  @Test
  void postRedirectedAsGetLosesEveryApplicationHeaderSoTheSecondHopIsNeitherTaggedNorInjected() {
    // the JDK turns a 302 after POST into a GET with a fresh header block (http.strictPostRedirect
    // unset): the grant goes the way of the app's own headers, and so does the credential
    world.provider.respond("/redirect/after-post", CannedResponse.redirect(302, "/redirect/landing"));
    JsonNode report = send(ChildRequest.post(world.datadogOrigin() + "/redirect/after-post", "{}")
        .grant(world.datadogGrant).header("X-App", "set-by-app"));

    assertSucceeded(report);
    List<RecordedRequest> hops = world.provider.requests();
    assertThat(hops).extracting(RecordedRequest::method).containsExactly("POST", "GET");
    assertThat(hops.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(hops.get(1).hasHeader("DD-API-KEY")).isFalse();
    assertThat(hops.get(1).hasHeader("X-App")).isFalse();
    hops.forEach(UrlConnectionContract::assertNoAlterHeaders);
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleThroughRequestPropertiesAndTheJdkLogger() {
    String stderrBefore = app.stderr();
    JsonNode report = send(ChildRequest.get(world.stripeOrigin() + "/v1/balance")
        .grant(world.stripeGrant).header("Authorization", "Bearer placeholder")
        .header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("Authorization"))
        .containsExactly("Bearer " + world.stripeKey);
    // before connecting the app sees exactly what it set (the JDK hides Authorization itself)
    assertThat(report.path("request_properties_before").toString())
        .contains("alter-grant: " + world.stripeGrant, "X-Marker: invisibility")
        .doesNotContain(world.stripeKey);
    // after the response, getRequestProperty reads the connection's own headers: never the key
    JsonNode after = report.path("request_properties_after");
    assertThat(after.path("alter-grant").asText()).isEqualTo(world.stripeGrant);
    assertThat(after.path("DD-API-KEY").isNull()).isTrue();
    assertThat(after.toString()).doesNotContain(world.stripeKey);
    assertThat(report.toString()).doesNotContain(world.stripeKey);
    // the JDK's sun.net.www.protocol.http.HttpURLConnection logger printed this request
    String logged = app.awaitStderr("X-Marker: invisibility", Duration.ofSeconds(10))
        .substring(stderrBefore.length());
    assertThat(logged).contains("X-Marker: invisibility").doesNotContain(world.stripeKey);
  }

  @Test
  void theJdksRawTrafficCaptureShowsTheInjectedValueMasked() {
    // -Dsun.net.http.captureRules copies a plain-HTTP connection's bytes to a file
    JsonNode report = send(ChildRequest.get(world.plain.url("/captured/ingest")).grant(world.plainGrant));

    assertSucceeded(report);
    assertThat(world.plain.singleRequest().headerValues("X-Api-Key")).containsExactly(world.plainKey);
    assertThat(captured()).contains("GET /captured/ingest HTTP/1.1", "X-Api-Key: [REDACTED]")
        .doesNotContain(world.plainKey);
  }

  // --- 4. destination binding on the host actually dialled -----------------------------------

  @Test
  void crossOriginRedirectNeverCarriesTheCredential() {
    world.provider.respond("/redirect/away",
        CannedResponse.redirect(302, world.otherPort.url("/collector")));
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/redirect/away")
        .grant(world.datadogGrant));

    RecordedRequest firstHop = world.provider.singleRequest();
    assertThat(firstHop.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(report.path("error").path("code").asText()).as("app report %s", report)
        .isEqualTo("host_not_allowed");
    assertThat(world.otherPort.requests()).as("requests at the other origin").isEmpty();
  }

  @Test
  void redirectTheAppDoesNotFollowIsReturnedWithTheCredentialOnlyOnTheFirstHop() {
    world.provider.respond("/redirect/manual",
        CannedResponse.redirect(302, world.otherPort.url("/collector")));
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/redirect/manual")
        .grant(world.datadogGrant).redirects("NEVER"));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(302);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(world.otherPort.requests()).isEmpty();
  }

  private void assertRefused(String url, String code) {
    JsonNode report = send(ChildRequest.get(url).grant(world.datadogGrant));
    assertFailedClosed(report, code, world.datadogGrant);
  }

  @Test
  void userinfoTrickIsRefused() {
    assertRefused("https://api.datadoghq.com:" + world.provider.port() + "@evil.test:"
        + world.provider.port() + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void upperCaseHostNormalisesToTheAllowedHost() {
    JsonNode report = send(ChildRequest.get("https://API.DATADOGHQ.COM:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }

  @Test
  void trailingDotHostNormalisesToTheAllowedHost() {
    JsonNode report = send(ChildRequest.get("https://api.datadoghq.com.:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }

  @Test
  void anotherPortOfTheAllowedHostIsRefused() {
    assertRefused("https://api.datadoghq.com:" + world.otherPort.port() + "/api/v1/validate",
        "host_not_allowed");
  }

  @Test
  void ipLiteralIsRefusedForANamedDestination() {
    assertRefused("https://127.0.0.1:" + world.provider.port() + "/api/v1/validate",
        "host_not_allowed");
  }

  @Test
  void idnLookAlikeIsRefused() {
    assertRefused("https://" + UrlConnectionWorld.LOOK_ALIKE_ASCII + ":" + world.provider.port()
        + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    assertRefused("http://api.datadoghq.com:" + world.provider.port() + "/api/v1/validate",
        "insecure_scheme");
  }

  @Test
  void underscoreHostIsRefused() {
    // over plain HTTP the connection is made, so it is the agent that refuses the header block
    assertRefused("http://" + UrlConnectionWorld.UNDERSCORE_HOST + ":" + world.plain.port()
        + "/api/v1/validate", "host_not_allowed");
    // over HTTPS the JDK refuses the name as a TLS server name before any request is written
    JsonNode report = send(ChildRequest.get("https://" + UrlConnectionWorld.UNDERSCORE_HOST + ":"
        + world.provider.port() + "/api/v1/validate").grant(world.datadogGrant));
    assertThat(report.path("error").path("class").asText()).as("app report %s", report)
        .isEqualTo("javax.net.ssl.SSLHandshakeException");
    assertThat(world.requestsReceivedEverywhere()).isZero();
  }

  @Test
  void explicitlyAllowedPlainHttpDestinationGetsTheCredential() {
    JsonNode report = send(ChildRequest.get(world.plain.url("/ingest")).grant(world.plainGrant));

    assertSucceeded(report);
    RecordedRequest received = world.plain.singleRequest();
    assertThat(received.headerValues("X-Api-Key")).containsExactly(world.plainKey);
    assertNoAlterHeaders(received);
  }

  // --- 5. fail closed ------------------------------------------------------------------------

  @Test
  void unknownGrantFailsClosed() {
    String unknown = "grt_doesnotexist0000000000";
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(unknown));
    assertFailedClosed(report, "grant_not_found", unknown);
  }

  @Test
  void revokedGrantFailsClosed() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.revokedGrant));
    assertFailedClosed(report, "grant_revoked", world.revokedGrant);
  }

  @Test
  void refusalInStreamingModeFailsGetOutputStreamAndSendsNothing() {
    JsonNode report = send("fixed", ChildRequest.post(world.datadogOrigin() + "/api/v1/series", "{}")
        .grant(world.revokedGrant));
    assertFailedClosed(report, "grant_revoked", world.revokedGrant);
  }

  @Test
  void grantOfAnotherSecretsDestinationIsRefused() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.stripeGrant));
    assertFailedClosed(report, "host_not_allowed", world.stripeGrant);
  }
}
