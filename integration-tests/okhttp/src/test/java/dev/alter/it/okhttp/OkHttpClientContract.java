package dev.alter.it.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.KeyEncodings;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.okhttp.app.ScriptedOkHttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviours 1–5 of the agent for OkHttp, proven for one release, one call style
 * ({@code execute} or {@code enqueue}), one protocol and one JDK: each subclass is one
 * combination, run in its own child JVM under the real agent. For "unchanged", a second child
 * without the agent records what the same app sends untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OkHttpClientContract {
  private static final String REFUSAL = "dev.alter.agent.bootstrap.AlterCredentialException";

  private final OkHttpRelease release;
  private final JavaRuntime runtime;
  private final String mode;
  private final String protocol;
  private final OkHttpWorld world = OkHttpWorld.get();
  private RunningChild app;

  OkHttpClientContract(OkHttpRelease release, JavaRuntime runtime, String mode, String protocol) {
    this.release = release;
    this.runtime = runtime;
    this.mode = mode;
    this.protocol = protocol;
  }

  @BeforeAll
  void startApp() {
    app = launch(true);
  }

  private RunningChild launch(boolean withAgent) {
    ChildJvm child = ChildJvm.create().runtime(runtime)
        .main(ScriptedOkHttpClient.class, mode, protocol)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    if (withAgent) {
      child.withAgent().resolver(world.service.baseUrl(), world.app.apiKey);
    }
    RunningChild running = child.start();
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("okhttp_version").asText()).as("%s", running.describe()).isEqualTo(release.version);
    assertThat(ready.path("java_version").asInt()).isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    return running;
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (app == null) {
      return; // it never started; startApp's failure says why
    }
    try {
      for (String credential : world.credentials()) {
        assertThat(app.stdout()).as("everything the app observed").doesNotContain(credential);
        assertThat(app.stderr()).as("the app's stderr").doesNotContain(credential);
      }
      // nor the agent's own key: its resolves are signed, never carrying it
      for (String form : KeyEncodings.of(world.app.apiKey)) {
        assertThat(app.stdout() + app.stderr()).as("the app's output holds a form of the app key").doesNotContain(form);
      }
    } finally {
      app.close();
    }
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private JsonNode send(ChildRequest request) {
    return app.ask("request " + request.toLine(), Duration.ofSeconds(40));
  }

  private String expectedWireProtocol() {
    return protocol.equals("HTTP_2") ? "HTTP/2.0" : "HTTP/1.1";
  }

  private static void assertNoAlterHeaders(RecordedRequest received) {
    assertThat(received.hasAnyAlterHeader()).as("alter-* headers on the wire: %s", received).isFalse();
  }

  private static void assertSucceeded(JsonNode report) {
    assertThat(report.has("error")).as("app report %s", report).isFalse();
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
  }

  /** The agent's IOException, from execute() or onFailure, with nothing written anywhere. */
  private void assertFailedClosed(JsonNode report, String code, String grant) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText()).as("app report %s", report).isEqualTo(REFUSAL);
    assertThat(error.path("is_io_exception").asBoolean()).isTrue();
    assertThat(error.path("code").asText()).as("app report %s", report).isEqualTo(code);
    assertThat(error.path("grant_id").asText()).isEqualTo(grant);
    assertThat(error.path("message").asText()).contains(grant, code, "Fix:");
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
    // refused before any header was written, and never retried: network interceptors run once
    // per attempt. From 3.14 on the refusal even precedes requestHeadersStart; in 3.12 OkHttp
    // fires that event itself just before calling the codec.
    JsonNode events = report.path("observed").path("events");
    assertThat(events.path("request_headers_start").asInt()).as("app report %s", report)
        .isEqualTo(release.hasExchange() ? 0 : 1);
    assertThat(events.path("request_headers_end").asInt()).as("app report %s", report).isZero();
    assertThat(events.path("call_failed").asInt()).as("app report %s", report).isEqualTo(1);
    assertThat(report.path("observed").path("network_interceptor")).as("app report %s", report).hasSize(1);
  }

  // --- 1. injection exactly per template ---------------------------------------------------

  @Test
  void taggedRequestCarriesExactlyTheTemplateHeader() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.protocol()).isEqualTo(expectedWireProtocol());
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received.target()).isEqualTo("/api/v1/validate");
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
    try (RunningChild appWithoutAgent = launch(false)) {
      assertSucceeded(appWithoutAgent.ask("request " + request.toLine(), Duration.ofSeconds(40)));
    }
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
  void queryParameterCredentialIsAddedOnlyToTheTargetOnTheWire() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/metrics?from=1")
        .grant(world.queryGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.target()).startsWith("/api/v1/metrics?").contains("from=1", "api_key=" + world.queryKey);
    assertNoAlterHeaders(received);
    assertThat(report.path("response_request").asText()).contains("/api/v1/metrics?from=1")
        .doesNotContain(world.queryKey);
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
    // what the app holds of the first hop is its own request: the grant header, never the key
    assertThat(report.path("prior_responses")).hasSize(1);
    assertThat(report.path("prior_responses").get(0).asText())
        .contains(world.datadogGrant).doesNotContain(world.datadogKey);
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleToEveryObserverTheApplicationHas() {
    String stderrBefore = app.stderr();
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.datadogGrant).header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);

    JsonNode observed = report.path("observed");
    for (String observer : List.of("application_interceptor", "network_interceptor",
        "event_listener_request_headers_end")) {
      assertThat(observed.path(observer)).as(observer).hasSize(1);
      assertThat(observed.path(observer).get(0).asText()).as(observer)
          .contains("X-Marker", world.datadogGrant)
          .doesNotContain(world.datadogKey).doesNotContainIgnoringCase("dd-api-key");
    }
    assertThat(observed.path("logging_interceptor_headers").toString()).as("HttpLoggingInterceptor at HEADERS")
        .contains("X-Marker").doesNotContain(world.datadogKey).doesNotContainIgnoringCase("dd-api-key");
    for (String held : List.of("response_request", "network_response_request")) {
      assertThat(report.path(held).asText()).as(held)
          .contains(world.datadogGrant).doesNotContain(world.datadogKey).doesNotContainIgnoringCase("dd-api-key");
    }
    assertThat(report.toString()).doesNotContain(world.datadogKey);
    assertThat(app.stderr().substring(stderrBefore.length())).doesNotContain(world.datadogKey);
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
    assertRefused("https://api.datadoghq.com:" + world.provider.port() + "@evil.test:"
        + world.provider.port() + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void upperCaseHostNormalisesToTheAllowedHost() {
    JsonNode report = send(ChildRequest.get("https://API.DATADOGHQ.COM:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
  }

  @Test
  void trailingDotHostNormalisesToTheAllowedHost() {
    JsonNode report = send(ChildRequest.get("https://api.datadoghq.com.:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
  }

  @Test
  void anotherPortOfTheAllowedHostIsRefused() {
    assertRefused("https://api.datadoghq.com:" + world.otherPort.port() + "/api/v1/validate",
        "host_not_allowed");
  }

  @Test
  void ipLiteralIsRefusedForANamedDestination() {
    assertRefused("https://127.0.0.1:" + world.provider.port() + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void idnLookAlikeIsRefusedInBothSpellings() {
    // OkHttp accepts the Unicode spelling and dials its IDNA form: both reach the agent
    assertRefused("https://" + OkHttpWorld.LOOK_ALIKE_UNICODE + ":" + world.provider.port() + "/api/v1/validate",
        "host_not_allowed");
    assertRefused("https://" + OkHttpWorld.LOOK_ALIKE_ASCII + ":" + world.provider.port() + "/api/v1/validate",
        "host_not_allowed");
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    assertRefused("http://api.datadoghq.com:" + world.provider.port() + "/api/v1/validate", "insecure_scheme");
  }

  @Test
  void underscoreHostIsRefused() {
    assertRefused("https://" + OkHttpWorld.UNDERSCORE_HOST + ":" + world.provider.port() + "/api/v1/validate",
        "host_not_allowed");
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
  void revokedGrantFailsClosedAfterExactlyOneResolve() {
    String revoked = world.admin.createSystemGrant(world.datadogSecret, "okhttp-it-revoked-" + OkHttpWorld.random(3));
    world.admin.revokeGrant(revoked);

    JsonNode report = send(ChildRequest.post(world.datadogOrigin() + "/api/v2/series", "{\"series\":[]}")
        .grant(revoked));

    assertFailedClosed(report, "grant_revoked", revoked);
    assertThat(world.admin.resolveCount(revoked)).as("resolve calls for one failed call").isEqualTo(1);
  }

  @Test
  void grantOfAnotherSecretsDestinationIsRefused() {
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.openAiGrant));
    assertFailedClosed(report, "host_not_allowed", world.openAiGrant);
  }

  @Test
  void clientStaysUsableAfterARefusedCall() {
    assertFailedClosed(send(ChildRequest.get(world.datadogOrigin() + "/first").grant(world.revokedGrant)),
        "grant_revoked", world.revokedGrant);

    JsonNode next = send(ChildRequest.get(world.datadogOrigin() + "/second").grant(world.datadogGrant));

    assertSucceeded(next);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
  }
}
