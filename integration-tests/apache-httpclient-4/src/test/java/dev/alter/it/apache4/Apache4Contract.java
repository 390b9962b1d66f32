package dev.alter.it.apache4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviours 1–5 of the agent for Apache HttpClient 4.5 classic, for one client release on one
 * JDK, in a child JVM under the real agent with the client's headers and wire logs switched on.
 * A second child without the agent records what the same app sends untouched, as the baseline
 * for "unchanged".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Apache4Contract {
  private final JavaRuntime runtime;
  private final Apache4Version version;
  private final Apache4World world = Apache4World.get();
  private RunningChild app;
  private RunningChild appWithoutAgent;

  Apache4Contract(JavaRuntime runtime, Apache4Version version) {
    this.runtime = runtime;
    this.version = version;
  }

  static ChildJvm child(Apache4World world, JavaRuntime runtime, Apache4Version version) {
    ChildJvm child = ChildJvm.create().runtime(runtime)
        .main(ScriptedApache4Client.class)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts)
        .systemProperty("org.apache.commons.logging.Log", "org.apache.commons.logging.impl.Jdk14Logger");
    for (Path jar : version.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  static RunningChild awaitReady(RunningChild running, JavaRuntime runtime, Apache4Version version) {
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("java_version").asInt()).as(running.describe())
        .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    assertThat(ready.path("client_version").asText()).isEqualTo(version.release());
    return running;
  }

  @BeforeAll
  void startApps() {
    app = awaitReady(child(world, runtime, version).withAgent()
        .resolver(world.service.baseUrl(), world.app.apiKey).start(), runtime, version);
    appWithoutAgent = awaitReady(child(world, runtime, version).start(), runtime, version);
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (app == null) {
      return;
    }
    try {
      for (String credential : world.credentials()) {
        assertThat(app.stdout()).as("everything the app observed").doesNotContain(credential);
        assertThat(app.stderr()).as("stderr with the headers and wire logs").doesNotContain(credential);
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
    return app.ask("request " + request.toLine(), Duration.ofSeconds(40));
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
    assertThat(report.path("redirect_locations").toString()).contains("/redirect/landing");
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleToInterceptorsContextAndHeadersLogAndMaskedInTheWireLog() {
    String stderrBefore = app.stderr();
    JsonNode report = send(ChildRequest.get(world.stripeOrigin() + "/v1/balance")
        .grant(world.stripeGrant).header("Authorization", "Bearer placeholder")
        .header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("Authorization"))
        .containsExactly("Bearer " + world.stripeKey);
    assertThat(report.path("interceptor_headers").toString())
        .contains("alter-grant: " + world.stripeGrant, "Authorization: Bearer placeholder")
        .doesNotContain(world.stripeKey);
    assertThat(report.path("context_request_headers").toString())
        .contains("alter-grant: " + world.stripeGrant).doesNotContain(world.stripeKey);
    assertThat(report.path("app_request_headers").toString())
        .contains("Authorization: Bearer placeholder").doesNotContain(world.stripeKey);
    // org.apache.http.wire printed the bytes sent with the injected value masked (stderr is read
    // on its own thread, so wait for that line)
    String logged = awaitStderrAfter(stderrBefore.length(), "\"Authorization: [REDACTED][\\r][\\n]\"");
    // org.apache.http.headers printed the request object: the app's own headers
    assertThat(logged).contains(">> X-Marker: invisibility", ">> alter-grant: " + world.stripeGrant);
    assertThat(logged).doesNotContain(world.stripeKey);
  }

  /** What stderr shows after {@code from} once that part contains {@code text}. */
  private String awaitStderrAfter(int from, String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String since = app.stderr().substring(from);
    while (!since.contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("stderr did not show " + text + " in time:\n" + since);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      since = app.stderr().substring(from);
    }
    return since;
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

  private void assertRefused(String url, String code) {
    String stderrBefore = app.stderr();
    JsonNode report = send(ChildRequest.get(url).grant(world.datadogGrant));
    assertFailedClosed(report, code, world.datadogGrant);
    // the default retry handler did not try again (it logs every retry at INFO)
    assertThat(app.stderr().substring(stderrBefore.length())).doesNotContain("Retrying request");
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
    assertRefused("https://" + Apache4World.LOOK_ALIKE_ASCII + ":" + world.provider.port()
        + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    assertRefused("http://api.datadoghq.com:" + world.provider.port() + "/api/v1/validate",
        "insecure_scheme");
  }

  @Test
  void trailingDotHostFailsHttpClientsOwnHostnameCheckBeforeAnythingIsSent() {
    // HttpClient 4.5's DefaultHostnameVerifier compares the name with its trailing dot
    JsonNode report = send(ChildRequest.get("https://api.datadoghq.com.:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));

    assertThat(report.path("error").path("class").asText()).as("app report %s", report)
        .isEqualTo("javax.net.ssl.SSLPeerUnverifiedException");
    assertThat(world.requestsReceivedEverywhere()).isZero();
  }

  @Test
  void underscoreHostIsRefused() {
    assertRefused("http://" + Apache4World.UNDERSCORE_HOST + ":" + world.plain.port()
        + "/api/v1/validate", "host_not_allowed");
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
  void revokedGrantFailsClosedAlsoForARequestWithABody() {
    JsonNode report = send(ChildRequest.post(world.datadogOrigin() + "/api/v1/series", "{\"series\":[]}")
        .grant(world.revokedGrant).header("Content-Type", "application/json"));
    assertFailedClosed(report, "grant_revoked", world.revokedGrant);
  }

  @Test
  void grantOfAnotherSecretsDestinationIsRefused() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.stripeGrant));
    assertFailedClosed(report, "host_not_allowed", world.stripeGrant);
  }
}
