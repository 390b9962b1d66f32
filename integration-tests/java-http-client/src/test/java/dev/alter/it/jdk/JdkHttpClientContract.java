package dev.alter.it.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviours 1–5 of the agent for {@code java.net.http.HttpClient}, proven against one client
 * mode ({@code send} or {@code sendAsync}), one protocol and one JDK: each subclass is one
 * combination, run in its own child JVM under the real agent. A second child without the agent
 * records what the same app sends untouched, as the baseline for "unchanged".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdkHttpClientContract {
  private final JavaRuntime runtime;
  private final String mode;
  private final String version;
  private final JdkClientWorld world = JdkClientWorld.get();
  private RunningChild app;
  private RunningChild appWithoutAgent;

  JdkHttpClientContract(JavaRuntime runtime, String mode, String version) {
    this.runtime = runtime;
    this.mode = mode;
    this.version = version;
  }

  @BeforeAll
  void startApps() {
    app = launch(true);
    appWithoutAgent = launch(false);
  }

  private RunningChild launch(boolean withAgent) {
    ChildJvm child = ChildJvm.create().runtime(runtime)
        .main(ScriptedJdkClient.class, mode, version)
        .trusting(world.certificate).hosts(world.hosts)
        .systemProperty("jdk.httpclient.HttpClient.log", "headers");
    if (withAgent) {
      child.withAgent().resolver(world.service.baseUrl(), world.app.apiKey);
    }
    RunningChild running = child.start();
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("java_version").asInt()).isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    return running;
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (appWithoutAgent != null) {
      appWithoutAgent.close();
    }
    if (app == null) {
      return;
    }
    app.close();
    for (String credential : world.credentials()) {
      assertThat(app.stdout()).as("everything the app observed").doesNotContain(credential);
      assertThat(app.stderr()).as("stderr with the JDK's header log").doesNotContain(credential);
      assertThat(world.service.log()).as("the resolver service's log").doesNotContain(credential);
    }
  }

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private JsonNode send(ChildRequest request) {
    return app.ask("request " + request.toLine(), Duration.ofSeconds(40));
  }

  private String expectedProtocol() {
    return version.equals("HTTP_2") ? "HTTP/2.0" : "HTTP/1.1";
  }

  private static void assertNoAlterHeaders(RecordedRequest received) {
    assertThat(received.hasAnyAlterHeader()).as("alter-* headers on the wire: %s", received).isFalse();
  }

  private void assertSucceeded(JsonNode report) {
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
    assertThat(received.protocol()).isEqualTo(expectedProtocol());
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
  void providerReferenceUsesTheAppsOneSystemGrantOfThatProvider() {
    JsonNode report = send(ChildRequest.get(world.openAiOrigin() + "/v1/models")
        .grant("@openai").header("Authorization", "Bearer placeholder"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.openAiKey);
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
    // what the app sees of both hops is its own request: the grant header, never the credential
    assertThat(report.path("previous")).hasSize(1);
    assertThat(report.path("previous").get(0).path("request_headers").toString())
        .contains(world.datadogGrant).doesNotContain(world.datadogKey);
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleToTheApplicationAndTheClientsHeaderLog() {
    String stderrBefore = app.stderr();
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.datadogGrant).header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
    // HttpResponse.request() is the app's own request: it still names the grant, holds no key
    assertThat(report.path("request_headers").toString())
        .contains("alter-grant: " + world.datadogGrant).doesNotContain(world.datadogKey)
        .doesNotContainIgnoringCase("dd-api-key");
    assertThat(report.toString()).doesNotContain(world.datadogKey);
    // -Djdk.httpclient.HttpClient.log=headers logged this request, without the credential
    String logged = app.awaitStderr("invisibility", Duration.ofSeconds(10))
        .substring(stderrBefore.length());
    assertThat(logged).containsIgnoringCase("x-marker").doesNotContain(world.datadogKey);
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
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }

  @Test
  void trailingDotHostNormalisesToTheAllowedHost() {
    // over TLS the JDK itself refuses a trailing-dot name (SNI forbids it), so the agent's
    // normalisation is exercised on the secret that explicitly allows plain HTTP to localhost
    JsonNode report = send(ChildRequest.get("http://localhost.:" + world.plain.port() + "/ingest")
        .grant(world.plainGrant));

    assertSucceeded(report);
    assertThat(world.plain.requests()).isNotEmpty().allSatisfy(hop -> {
      assertThat(hop.headerValues("X-Api-Key")).containsExactly(world.plainKey);
      assertNoAlterHeaders(hop);
    });
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
    assertRefused("https://" + JdkClientWorld.LOOK_ALIKE_ASCII + ":" + world.provider.port()
        + "/api/v1/validate", "host_not_allowed");
    // the Unicode spelling never gets as far as the agent: the JDK refuses the URI itself
    JsonNode unicode = send(ChildRequest.get("https://" + JdkClientWorld.LOOK_ALIKE_UNICODE + ":"
        + world.provider.port() + "/").grant(world.datadogGrant));
    assertThat(unicode.path("error").path("class").asText())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(world.requestsReceivedEverywhere()).isZero();
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    assertRefused("http://api.datadoghq.com:" + world.provider.port() + "/api/v1/validate",
        "insecure_scheme");
  }

  @Test
  void underscoreHostIsRefusedBeforeAnythingIsSent() {
    JsonNode report = send(ChildRequest.get("https://api_dd.datadoghq.com:" + world.provider.port()
        + "/api/v1/validate").grant(world.datadogGrant));
    // java.net.URI has no host for such a name, so the JDK client refuses it before the agent
    assertThat(report.path("error").path("class").asText())
        .isEqualTo("java.lang.IllegalArgumentException");
    assertThat(world.requestsReceivedEverywhere()).isZero();
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
    // the OpenAI grant is not valid for the Datadog host, even on the same server
    JsonNode report = send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
        .grant(world.openAiGrant));
    assertFailedClosed(report, "host_not_allowed", world.openAiGrant);
  }
}
