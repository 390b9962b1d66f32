package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.KeyEncodings;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviours 1–5 of the agent for Apache HttpClient 5, proven for one client line, one mode
 * (classic, async HTTP/1.1, async HTTP/2; always over TLS to the provider) and one JDK: each
 * subclass is one combination in its own child JVM under the real agent. A second child without
 * the agent records what the same app sends untouched, as the baseline for "unchanged".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApacheHttpClientContract {
  private final JavaRuntime runtime;
  private final ApacheClientVersion version;
  private final String mode;
  private final ApacheClientWorld world = ApacheClientWorld.get();
  private Path appLog;
  private RunningChild app;
  private RunningChild appWithoutAgent;

  ApacheHttpClientContract(JavaRuntime runtime, ApacheClientVersion version, String mode) {
    this.runtime = runtime;
    this.version = version;
    this.mode = mode;
  }

  @BeforeAll
  void startApps() throws Exception {
    Path dir = SharedResolverService.workDirectory("apache-" + mode + "-" + version.exactVersion());
    appLog = dir.resolve("app-with-agent.log");
    app = ApacheChild.startAndAwaitReady(ApacheChild.configure(world, runtime, version, mode, appLog)
        .withAgent().resolver(world.service.baseUrl(), world.app.apiKey), runtime, version);
    appWithoutAgent = ApacheChild.startAndAwaitReady(
        ApacheChild.configure(world, runtime, version, mode, dir.resolve("app-without-agent.log")),
        runtime, version);
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutputOrLogs() throws Exception {
    if (app == null || appWithoutAgent == null) {
      return; // start-up failed; that failure is the one reported
    }
    try {
      String log = Files.exists(appLog) ? Files.readString(appLog) : "";
      for (String credential : world.credentials()) {
        assertThat(app.stdout()).as("everything the app observed").doesNotContain(credential);
        assertThat(app.stderr()).as("the app's stderr").doesNotContain(credential);
        assertThat(log).as("the client's debug log (wire, headers, frames)").doesNotContain(credential);
      }
      // nor the agent's own key: its resolves are signed, never carrying it
      for (String form : KeyEncodings.of(world.app.apiKey)) {
        assertThat(app.stdout() + app.stderr() + log).as("the app's output and logs hold a form of the app key")
            .doesNotContain(form);
      }
    } finally {
      app.close();
      appWithoutAgent.close();
    }
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  JsonNode send(ChildRequest request) {
    return app.ask("request " + request.toLine(), Duration.ofSeconds(40));
  }

  /** Classic only: {@code execute(HttpHost target, request)}, dialling {@code origin}. */
  JsonNode sendVia(String origin, ChildRequest request) {
    return app.ask("request-via " + origin + " " + request.toLine(), Duration.ofSeconds(40));
  }

  ApacheClientWorld world() {
    return world;
  }

  private boolean http2() {
    return mode.equals("async-http2");
  }

  private static void assertNoAlterHeaders(RecordedRequest received) {
    assertThat(received.hasAnyAlterHeader()).as("alter-* headers on the wire: %s", received).isFalse();
  }

  private void assertSucceeded(JsonNode report) {
    assertThat(report.has("error")).as("app report %s", report).isFalse();
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
  }

  void assertFailedClosed(JsonNode report, String code, String grant) {
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
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate?from=1")
        .grant(world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.isHttp2()).isEqualTo(http2());
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received.target()).isEqualTo("/api/v1/validate?from=1");
    assertNoAlterHeaders(received);
  }

  @Test
  void placeholderAuthorizationIsReplacedWhileOtherHeadersAndBodyPassUntouched() {
    String body = "{\"model\":\"gpt-test\",\"input\":\"héllo\"}";
    JsonNode report = send(ChildRequest.post(world.openAiOrigin() + "/v1/responses?stream=false", body)
        .grant(world.openAiGrant)
        .header("Authorization", "Bearer placeholder")
        .header("Content-Type", "application/json")
        .header("X-Request-Id", "req-42")
        .header("OpenAI-Beta", "assistants=v2"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.openAiKey);
    assertThat(received.headerValues("Content-Type")).containsExactly("application/json");
    assertThat(received.headerValues("X-Request-Id")).containsExactly("req-42");
    assertThat(received.headerValues("OpenAI-Beta")).containsExactly("assistants=v2");
    assertThat(received.target()).isEqualTo("/v1/responses?stream=false");
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

    assertThat(underAgent.protocol()).isEqualTo(withoutAgent.protocol());
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

  @Test
  void concurrentTaggedRequestsEachCarryExactlyTheCredential() {
    // for HTTP/2 these share one connection: many streams, one HPACK context
    int count = 16;
    JsonNode report = app.ask("burst " + count + " " + ChildRequest.get(world.datadogOrigin() + "/api/v1/burst")
        .grant(world.datadogGrant).toLine(), Duration.ofSeconds(120));

    assertThat(report.path("ok").asInt()).as("app report %s", report).isEqualTo(count);
    List<RecordedRequest> received = world.provider.requests();
    assertThat(received).hasSize(count);
    for (RecordedRequest request : received) {
      assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertNoAlterHeaders(request);
    }
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
    // the interceptor ran on both hops and saw the app's headers only
    assertThat(report.path("interceptor_saw")).hasSize(2);
    assertThat(report.path("interceptor_saw").toString())
        .contains(world.datadogGrant).doesNotContain(world.datadogKey);
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleToInterceptorsContextAndHeadersLogAndRedactedInTheWireLog() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.datadogGrant).header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
    // the app's own request object, HttpClientContext.getRequest() and a last interceptor
    for (String field : List.of("request_headers", "context_request_headers", "interceptor_saw")) {
      assertThat(report.path(field).toString()).as(field)
          .contains("alter-grant: " + world.datadogGrant).doesNotContain(world.datadogKey);
    }
    assertThat(report.toString()).doesNotContain(world.datadogKey);

    String log = report.path("log").asText();
    assertThat(log).as("headers log").contains("http.headers").contains("alter-grant: " + world.datadogGrant);
    String wire = WireLog.outgoing(log);
    assertThat(wire).as("bytes the wire log printed as sent").contains("[REDACTED]")
        .doesNotContain(world.datadogKey);
    if (!http2()) {
      assertThat(wire).containsIgnoringCase("DD-API-KEY: [REDACTED]\r\n").contains("X-Marker: invisibility");
    }
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
    JsonNode report = send(ChildRequest.get(url).grant(world.datadogGrant));
    assertFailedClosed(report, code, world.datadogGrant);
  }

  @Test
  void userinfoTrickIsRefused() {
    JsonNode report = send(ChildRequest.get("https://api.datadoghq.com:" + world.provider.port()
        + "@evil.test:" + world.provider.port() + "/api/v1/validate").grant(world.datadogGrant));
    assertRefusedByAgentOrClient(report);
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

    if (report.has("error")) {
      // some client versions' hostname verifiers refuse the dotted name during the handshake,
      // before the agent is asked: then nothing at all is sent
      assertThat(report.path("error").path("class").asText()).as("app report %s", report)
          .isEqualTo("javax.net.ssl.SSLPeerUnverifiedException");
      assertThat(world.requestsReceivedEverywhere()).isZero();
    } else {
      assertSucceeded(report);
      assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
          .containsExactly(world.datadogKey);
    }
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
    assertRefused("https://" + ApacheClientWorld.LOOK_ALIKE_ASCII + ":" + world.provider.port()
        + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    assertRefused("http://api.datadoghq.com:" + world.plain.port() + "/api/v1/validate",
        "insecure_scheme");
  }

  @Test
  void underscoreHostIsRefusedBeforeAnythingIsSent() {
    JsonNode report = send(ChildRequest.get("https://api_dd.datadoghq.com:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));
    assertRefusedByAgentOrClient(report);
  }

  /**
   * Some bypass spellings never reach the agent: HttpClient itself rejects a URI without a
   * usable host. Either way the request fails and nothing is sent; if the agent decided, it
   * decided host_not_allowed.
   */
  private void assertRefusedByAgentOrClient(JsonNode report) {
    JsonNode error = report.path("error");
    assertThat(error.isMissingNode()).as("app report %s", report).isFalse();
    if (error.path("class").asText().equals("dev.alter.agent.bootstrap.AlterCredentialException")) {
      assertThat(error.path("code").asText()).isEqualTo("host_not_allowed");
    }
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
  }

  @Test
  void explicitlyAllowedPlainHttpDestinationGetsTheCredential() {
    JsonNode report = send(ChildRequest.get(world.plain.url("/ingest")).grant(world.plainGrant));

    assertSucceeded(report);
    List<RecordedRequest> received = world.plain.requests();
    assertThat(received).isNotEmpty();
    for (RecordedRequest hop : received) {
      assertThat(hop.headerValues("X-Api-Key")).containsExactly(world.plainKey);
      assertNoAlterHeaders(hop);
    }
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
  void grantOfAnotherSecretsDestinationIsRefused() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.openAiGrant));
    assertFailedClosed(report, "host_not_allowed", world.openAiGrant);
  }

  @Test
  void refusedRequestIsNotRetriedByTheClient() {
    // DefaultHttpRequestRetryStrategy would retry this idempotent GET once, after 1 s
    String unknown = "grt_retrycheck00000000000";
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(unknown));

    assertFailedClosed(report, "grant_not_found", unknown);
    assertThat(report.path("elapsed_ms").asLong(0)).isLessThan(900);
  }
}
