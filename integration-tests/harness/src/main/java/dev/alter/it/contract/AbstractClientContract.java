package dev.alter.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.KeyEncodings;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.RunningChild;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Behaviours 1–5 of the agent (injection exactly per template, {@code alter-*} removed on every
 * hop, invisible to the application, destination binding on the host actually dialled, fail
 * closed), proven for one HTTP client in one configuration: each concrete subclass is one
 * combination of client version, call style, protocol and JDK, run in its own child JVM under the
 * real agent. A second child without the agent records what the same app sends untouched, as the
 * baseline for "unchanged".
 *
 * <p>A client supplies the child app ({@link #child}), declares what it supports and how it treats
 * the bypass spellings ({@link #configure}) and reads what its app could observe ({@link
 * #assertRedirectAsTheAppSawIt}, {@link #assertObserversSawNoCredential}); every behaviour test
 * here then runs for it. The child app reads {@code request <line>} commands and answers each with
 * one JSON report ({@code status} or {@code error}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractClientContract {
  private static final String REFUSAL = "dev.alter.agent.bootstrap.AlterCredentialException";
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(40);

  protected final ClientWorld world = ClientWorld.get();
  protected final JavaRuntime runtime;
  private final ClientContractOptions options = new ClientContractOptions();
  private RunningChild app;
  private RunningChild appWithoutAgent;

  protected AbstractClientContract(JavaRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * The child app for this combination, configured with the world's certificate and hosts file; the
   * contract adds the agent when {@code withAgent}.
   */
  protected abstract ChildJvm child(boolean withAgent);

  /** Checks the child's first report beyond the Java version (e.g. the client's version). */
  protected void assertReady(JsonNode ready, RunningChild child) {}

  /** Declares the client's features and bypass outcomes; the defaults are in the options. */
  protected void configure(ClientContractOptions options) {}

  /**
   * After a same-origin redirect: what the app holds of both hops (prior responses, interceptors,
   * the final URL) is its own request, naming the grant and never the credential.
   */
  protected abstract void assertRedirectAsTheAppSawIt(JsonNode report);

  /**
   * After a tagged request, what every observer the client offers the app saw: its request object,
   * interceptors, listeners, logs. {@code stderrFrom} is where this request's part of stderr
   * starts.
   */
  protected abstract void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential);

  /**
   * What else a refusal must have left untouched (no retry, no header written), for this client.
   */
  protected void assertRefusalLeftNoTrace(JsonNode report, String stderrDuringCall) {}

  /** Other outputs of the app that must never show a credential (e.g. a client's log file). */
  protected Map<String, String> otherOutputs() {
    return Map.of();
  }

  @BeforeAll
  void startApp() {
    configure(options);
    app = launch(true);
  }

  private RunningChild launch(boolean withAgent) {
    ChildJvm child = child(withAgent);
    if (withAgent) {
      // a generous resolve timeout: these tests are about what is sent, not how fast, and a
      // loaded machine must not turn a resolve into resolver_unavailable
      child
          .withAgent()
          .resolver(world.service.baseUrl(), world.app.apiKey)
          .env("ALTER_RESOLVE_TIMEOUT", "30s");
    }
    RunningChild running = child.start();
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("java_version").asInt())
        .as(running.describe())
        .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    assertReady(ready, running);
    return running;
  }

  @AfterAll
  void credentialsNeverReachedTheAppsOutput() {
    if (app == null) {
      return; // it never started; startApp's failure says why
    }
    try {
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("everything the app observed", app.stdout());
      outputs.put("the app's stderr, with the client's logs", app.stderr());
      outputs.put("the resolver service's log", world.service.log());
      outputs.putAll(otherOutputs());
      for (String credential : world.credentials()) {
        outputs.forEach((name, text) -> assertThat(text).as(name).doesNotContain(credential));
      }
      // nor the agent's own key: its resolves are signed, never carrying it
      for (String form : KeyEncodings.of(world.app.apiKey)) {
        outputs.forEach(
            (name, text) ->
                assertThat(text).as("%s holds a form of the app key", name).doesNotContain(form));
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

  /** The app under the agent. */
  protected RunningChild app() {
    return app;
  }

  protected JsonNode send(ChildRequest request) {
    return ask("request", request);
  }

  /** Sends a client-specific command ({@code <command> <request line>}). */
  protected JsonNode ask(String command, ChildRequest request) {
    return app.ask(command + " " + request.toLine(), ANSWER_TIMEOUT);
  }

  protected static void assertNoAlterHeaders(RecordedRequest received) {
    assertThat(received.hasAnyAlterHeader())
        .as("alter-* headers on the wire: %s", received)
        .isFalse();
  }

  protected static void assertSucceeded(JsonNode report) {
    assertThat(report.has("error")).as("app report %s", report).isFalse();
    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
  }

  /** The agent's IOException naming the grant and the reason, with nothing sent anywhere. */
  protected void assertFailedClosed(JsonNode report, String code, String grant) {
    JsonNode error = report.path("error");
    assertThat(error.path("class").asText()).as("app report %s", report).isEqualTo(REFUSAL);
    assertThat(error.path("is_io_exception").asBoolean()).isTrue();
    assertThat(error.path("code").asText()).as("app report %s", report).isEqualTo(code);
    assertThat(error.path("grant_id").asText()).isEqualTo(grant);
    assertThat(error.path("message").asText()).contains(grant, code, "Fix:");
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
  }

  /** Sends {@code request} and expects the agent to refuse it with {@code code}. */
  protected void assertRefused(ChildRequest request, String code, String grant) {
    int stderrFrom = app.stderr().length();
    JsonNode report = send(request);
    assertFailedClosed(report, code, grant);
    assertRefusalLeftNoTrace(report, app.stderr().substring(stderrFrom));
  }

  private void assertRefused(String url, String code) {
    assertRefused(ChildRequest.get(url).grant(world.datadogGrant), code, world.datadogGrant);
  }

  // --- 1. injection exactly per template ---------------------------------------------------

  @Test
  void taggedRequestCarriesExactlyTheTemplateHeader() {
    JsonNode report =
        send(
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate?from=1")
                .grant(world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.protocol()).isEqualTo(options.http2 ? "HTTP/2.0" : "HTTP/1.1");
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received.target()).isEqualTo("/api/v1/validate?from=1");
    assertNoAlterHeaders(received);
  }

  @Test
  void placeholderAuthorizationIsReplacedWhileOtherHeadersAndBodyPassUntouched() {
    String body = "{\"model\":\"gpt-test\",\"input\":\"héllo\"}";
    JsonNode report =
        send(
            ChildRequest.post(world.openAiOrigin() + "/v1/responses?stream=false", body)
                .grant(world.openAiGrant)
                .header("Authorization", "Bearer placeholder")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "req-42")
                .header("OpenAI-Beta", "assistants=v2"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.openAiKey);
    if (options.keepsTheAppsContentType) {
      assertThat(received.headerValues("Content-Type")).containsExactly("application/json");
    }
    assertThat(received.headerValues("X-Request-Id")).containsExactly("req-42");
    assertThat(received.headerValues("OpenAI-Beta")).containsExactly("assistants=v2");
    assertThat(received.target()).isEqualTo("/v1/responses?stream=false");
    assertThat(received.bodyText()).isEqualTo(body);
    assertNoAlterHeaders(received);
  }

  @Test
  void untaggedRequestIsExactlyWhatTheAppSendsWithoutTheAgent() {
    ChildRequest request =
        ChildRequest.post(
                world.datadogOrigin() + "/api/v2/logs?ddsource=java", "[{\"message\":\"plain\"}]")
            .header("Content-Type", "application/json")
            .header("DD-API-KEY", "the-apps-own-key")
            .header("X-Custom", "a, b");

    assertSucceeded(send(request));
    RecordedRequest underAgent = world.provider.singleRequest();
    world.clearRecordings();
    if (appWithoutAgent == null) {
      appWithoutAgent = launch(false);
    }
    assertSucceeded(appWithoutAgent.ask("request " + request.toLine(), ANSWER_TIMEOUT));
    RecordedRequest withoutAgent = world.provider.singleRequest();

    assertThat(underAgent.protocol()).isEqualTo(withoutAgent.protocol());
    assertThat(underAgent.method()).isEqualTo(withoutAgent.method());
    assertThat(underAgent.target()).isEqualTo(withoutAgent.target());
    assertThat(underAgent.headers()).isEqualTo(withoutAgent.headers());
    assertThat(underAgent.body()).isEqualTo(withoutAgent.body());
  }

  @Test
  void grantHeaderNameIsCaseInsensitive() {
    JsonNode report =
        send(
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
                .header("ALTER-GRANT", world.datadogGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertNoAlterHeaders(received);
  }

  @Test
  void providerReferenceUsesTheAppsOneSystemGrantOfThatProvider() {
    JsonNode report =
        send(
            ChildRequest.get(world.openAiOrigin() + "/v1/models")
                .grant("@openai")
                .header("Authorization", "Bearer placeholder"));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.headerValues("Authorization")).containsExactly("Bearer " + world.openAiKey);
    assertNoAlterHeaders(received);
  }

  // --- 2. alter-* removed on every hop -----------------------------------------------------

  @Test
  void identityHeaderWithoutGrantIsStrippedAndNothingIsInjected() {
    JsonNode report =
        send(
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
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
    JsonNode report =
        send(ChildRequest.get(world.datadogOrigin() + "/redirect/start").grant(world.datadogGrant));

    assertSucceeded(report);
    List<RecordedRequest> hops = world.provider.requests();
    assertThat(hops)
        .extracting(RecordedRequest::target)
        .containsExactly("/redirect/start", "/redirect/landing");
    for (RecordedRequest hop : hops) {
      assertThat(hop.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertNoAlterHeaders(hop);
    }
    assertRedirectAsTheAppSawIt(report);
  }

  // --- 3. invisible to the application -----------------------------------------------------

  @Test
  void credentialIsInvisibleToTheApplication() {
    int stderrFrom = app.stderr().length();
    InjectedCredential credential =
        options.invisibilityOnAPlaceholder
            ? InjectedCredential.stripe(world)
            : InjectedCredential.datadog(world);
    JsonNode report = send(credential.request().header("X-Marker", "invisibility"));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues(credential.header))
        .containsExactly(credential.wireValue);
    assertThat(report.toString()).doesNotContain(credential.key);
    assertObserversSawNoCredential(report, stderrFrom, credential);
  }

  // --- 4. destination binding on the host actually dialled -----------------------------------

  @Test
  void crossOriginRedirectNeverCarriesTheCredential() {
    world.provider.respond(
        "/redirect/away", CannedResponse.redirect(302, world.otherPort.url("/collector")));
    JsonNode report =
        send(ChildRequest.get(world.datadogOrigin() + "/redirect/away").grant(world.datadogGrant));

    RecordedRequest firstHop = world.provider.singleRequest();
    assertThat(firstHop.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(report.path("error").path("code").asText())
        .as("app report %s", report)
        .isEqualTo("host_not_allowed");
    assertThat(world.otherPort.requests()).as("requests at the other origin").isEmpty();
  }

  @Test
  void userinfoTrickIsRefused() {
    assertBypass(
        options.userinfoHost,
        "https://api.datadoghq.com:"
            + world.provider.port()
            + "@evil.test:"
            + world.provider.port()
            + "/api/v1/validate");
  }

  @Test
  void upperCaseHostNormalisesToTheAllowedHost() {
    JsonNode report =
        send(
            ChildRequest.get(
                    "https://API.DATADOGHQ.COM:" + world.provider.port() + "/api/v1/validate")
                .grant(world.datadogGrant));

    assertSucceeded(report);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }

  @Test
  void trailingDotHostIsNormalisedOrRefusedBeforeAnythingIsSent() {
    assertThat(options.trailingDotOverTls.tested() || options.trailingDotOverPlainHttp.tested())
        .as("the client declares how it treats a trailing-dot host")
        .isTrue();
    if (options.trailingDotOverTls.tested()) {
      assertBypass(
          options.trailingDotOverTls,
          "https://api.datadoghq.com.:" + world.provider.port() + "/api/v1/validate");
    }
    if (options.trailingDotOverPlainHttp.tested()) {
      // over TLS some clients refuse a trailing-dot name themselves (SNI forbids it), so the
      // agent's normalisation is exercised on the secret that allows plain HTTP to localhost
      world.clearRecordings();
      assertBypass(
          options.trailingDotOverPlainHttp,
          "http://localhost.:" + world.plain.port() + "/ingest",
          world.plainGrant,
          world.plain,
          "X-Api-Key",
          world.plainKey);
    }
  }

  @Test
  void anotherPortOfTheAllowedHostIsRefused() {
    assertRefused(
        "https://api.datadoghq.com:" + world.otherPort.port() + "/api/v1/validate",
        "host_not_allowed");
  }

  @Test
  void ipLiteralIsRefusedForANamedDestination() {
    assertRefused(
        "https://127.0.0.1:" + world.provider.port() + "/api/v1/validate", "host_not_allowed");
  }

  @Test
  void idnLookAlikeIsRefused() {
    assertRefused(
        "https://"
            + ClientWorld.LOOK_ALIKE_ASCII
            + ":"
            + world.provider.port()
            + "/api/v1/validate",
        "host_not_allowed");
    if (options.unicodeLookAlike.tested()) {
      assertBypass(
          options.unicodeLookAlike,
          "https://"
              + ClientWorld.LOOK_ALIKE_UNICODE
              + ":"
              + world.provider.port()
              + "/api/v1/validate");
    }
  }

  @Test
  void plainHttpToAnHttpsOnlyDestinationIsRefused() {
    // to the plain-HTTP server, which would record the request had the agent let it through
    assertRefused(
        "http://api.datadoghq.com:" + world.plain.port() + "/api/v1/validate", "insecure_scheme");
  }

  @Test
  void underscoreHostIsRefused() {
    assertThat(
            options.underscoreHostOverTls.tested() || options.underscoreHostOverPlainHttp.tested())
        .as("the client declares how it treats an underscore host")
        .isTrue();
    if (options.underscoreHostOverPlainHttp.tested()) {
      // over plain HTTP the connection is made, so it is the agent that refuses the header block
      assertBypass(
          options.underscoreHostOverPlainHttp,
          "http://" + ClientWorld.UNDERSCORE_HOST + ":" + world.plain.port() + "/api/v1/validate");
    }
    if (options.underscoreHostOverTls.tested()) {
      assertBypass(
          options.underscoreHostOverTls,
          "https://"
              + ClientWorld.UNDERSCORE_HOST
              + ":"
              + world.provider.port()
              + "/api/v1/validate");
    }
  }

  @Test
  void explicitlyAllowedPlainHttpDestinationGetsTheCredential() {
    JsonNode report = send(ChildRequest.get(world.plain.url("/ingest")).grant(world.plainGrant));

    assertSucceeded(report);
    assertInjectedAt(world.plain, "X-Api-Key", world.plainKey);
  }

  private void assertBypass(BypassOutcome outcome, String url) {
    assertBypass(outcome, url, world.datadogGrant, world.provider, "DD-API-KEY", world.datadogKey);
  }

  private void assertBypass(
      BypassOutcome outcome,
      String url,
      String grant,
      RecordingServer server,
      String header,
      String key) {
    switch (outcome.kind) {
      case INJECTED:
        assertSucceeded(send(ChildRequest.get(url).grant(grant)));
        assertInjectedAt(server, header, key);
        break;
      case REFUSED_BY_AGENT:
        assertRefused(ChildRequest.get(url).grant(grant), "host_not_allowed", grant);
        break;
      case REFUSED_BY_CLIENT:
        assertRefusedByClient(send(ChildRequest.get(url).grant(grant)), outcome.clientException);
        break;
      case REFUSED_BY_AGENT_OR_CLIENT:
        {
          JsonNode report = send(ChildRequest.get(url).grant(grant));
          JsonNode error = report.path("error");
          assertThat(error.isMissingNode()).as("app report %s", report).isFalse();
          if (error.path("class").asText().equals(REFUSAL)) {
            assertThat(error.path("code").asText()).isEqualTo("host_not_allowed");
          }
          assertThat(world.requestsReceivedEverywhere())
              .as("requests that reached any server")
              .isZero();
          break;
        }
      case INJECTED_OR_REFUSED_BY_CLIENT:
        {
          JsonNode report = send(ChildRequest.get(url).grant(grant));
          if (report.has("error")) {
            assertRefusedByClient(report, outcome.clientException);
          } else {
            assertSucceeded(report);
            assertInjectedAt(server, header, key);
          }
          break;
        }
      default:
        throw new IllegalArgumentException("not a declared outcome: " + outcome.kind);
    }
  }

  private void assertRefusedByClient(JsonNode report, String exceptionClass) {
    assertThat(report.path("error").path("class").asText())
        .as("app report %s", report)
        .isEqualTo(exceptionClass);
    assertThat(world.requestsReceivedEverywhere()).as("requests that reached any server").isZero();
  }

  private void assertInjectedAt(RecordingServer server, String header, String key) {
    List<RecordedRequest> received =
        server == world.plain && options.plainHttpRequestMayRepeat
            ? server.requests()
            : List.of(server.singleRequest());
    assertThat(received)
        .isNotEmpty()
        .allSatisfy(
            hop -> {
              assertThat(hop.headerValues(header)).containsExactly(key);
              assertNoAlterHeaders(hop);
            });
  }

  // --- 5. fail closed ------------------------------------------------------------------------

  @Test
  void unknownGrantFailsClosed() {
    String unknown = "grt_doesnotexist0000000000";
    assertRefused(
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(unknown),
        "grant_not_found",
        unknown);
  }

  @Test
  void revokedGrantFailsClosedAfterExactlyOneResolve() {
    String revoked =
        world.admin.createSystemGrant(world.datadogSecret, "client-it-revoked-" + RandomHex.of(3));
    world.admin.revokeGrant(revoked);

    assertRefused(
        ChildRequest.post(world.datadogOrigin() + "/api/v2/series", "{\"series\":[]}")
            .grant(revoked)
            .header("Content-Type", "application/json"),
        "grant_revoked",
        revoked);
    assertThat(world.admin.resolveCount(revoked))
        .as("resolve calls for one failed call")
        .isEqualTo(1);
  }

  @Test
  void grantOfAnotherSecretsDestinationIsRefused() {
    // the OpenAI grant is not valid for the Datadog host, even on the same server
    assertRefused(
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(world.openAiGrant),
        "host_not_allowed",
        world.openAiGrant);
  }

  @Test
  void clientStaysUsableAfterARefusedCall() {
    assertRefused(
        ChildRequest.get(world.datadogOrigin() + "/first").grant(world.revokedGrant),
        "grant_revoked",
        world.revokedGrant);

    JsonNode next =
        send(ChildRequest.get(world.datadogOrigin() + "/second").grant(world.datadogGrant));

    assertSucceeded(next);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }

  /**
   * The agent rewrites a copy of each tagged request at the header write: the client must still
   * treat it as the request it pooled a connection for, so tagged and untagged calls to one origin
   * share the app's keep-alive connection (a new connection per tagged call would cost a handshake
   * each time).
   */
  @Test
  void taggedAndUntaggedCallsShareTheKeepAliveConnection() {
    Assumptions.assumeFalse(options.connectionPerCall, "the app turns keep-alive off");
    String origin = world.datadogOrigin();
    assertSucceeded(send(ChildRequest.get(origin + "/reuse/1")));
    assertSucceeded(send(ChildRequest.get(origin + "/reuse/2").grant(world.datadogGrant)));
    assertSucceeded(send(ChildRequest.get(origin + "/reuse/3").grant(world.datadogGrant)));
    assertSucceeded(send(ChildRequest.get(origin + "/reuse/4")));

    List<RecordedRequest> received = world.provider.requests();
    assertThat(received)
        .extracting(RecordedRequest::target)
        .containsExactly("/reuse/1", "/reuse/2", "/reuse/3", "/reuse/4");
    assertThat(received.get(1).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(received)
        .extracting(RecordedRequest::connection)
        .as("the server's connection for each call")
        .containsOnly(received.get(0).connection());
  }

  // --- grant policies: refused by the agent before anything is sent -----------------------------

  private String rulesGrant;

  /** A Datadog grant allowing two calls, with bodies of at most 64 bytes. */
  private String rulesGrant() {
    if (rulesGrant == null) {
      rulesGrant =
          world.admin.createSystemGrant(
              world.datadogSecret,
              "client-it-rules-" + RandomHex.of(3),
              Map.of(
                  "requests",
                  List.of("GET /api/v1/validate", "POST /api/v2/series"),
                  "max_body_bytes",
                  64));
    }
    return rulesGrant;
  }

  @Test
  void policyRulesLetTheAllowedCallsThroughWithTheCredential() {
    JsonNode validate =
        send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate?x=1").grant(rulesGrant()));
    assertSucceeded(validate);
    JsonNode series =
        send(
            ChildRequest.post(world.datadogOrigin() + "/api/v2/series", "{\"series\":[]}")
                .grant(rulesGrant())
                .header("Content-Type", "application/json"));
    if (options.streamsRequestBodies) {
      // the body's size is unknown until it is streamed: the body-size rule fails closed
      assertThat(series.path("error").path("code").asText())
          .as("%s", series)
          .isEqualTo("policy_violation");
      assertThat(series.path("error").path("message").asText()).contains("max_body_bytes");
    } else {
      assertSucceeded(series);
    }
    List<RecordedRequest> received = world.provider.requests();
    assertThat(received).hasSize(options.streamsRequestBodies ? 1 : 2);
    for (RecordedRequest r : received) {
      assertThat(r.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertNoAlterHeaders(r);
    }
  }

  @Test
  void policyRulesRefuseAnotherMethodOrPathBeforeAnythingIsSent() {
    assertRefused(
        ChildRequest.post(world.datadogOrigin() + "/api/v1/validate", "{}")
            .grant(rulesGrant())
            .header("Content-Type", "application/json"),
        "policy_violation",
        rulesGrant());
    assertRefused(
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate/more").grant(rulesGrant()),
        "policy_violation",
        rulesGrant());
    JsonNode report =
        send(ChildRequest.get(world.datadogOrigin() + "/api/v2/users").grant(rulesGrant()));
    assertThat(report.path("error").path("message").asText())
        .contains("refused by rule requests", "GET /api/v2/users");
  }

  @Test
  void encodedPathsDotSegmentsAndDoubleSlashesCannotSlipPastAPathRule() {
    for (String trick :
        List.of(
            "/api/v1/validate/../../v2/users",
            "/api/v1/validate/%2e%2e/%2E%2E/v2/users",
            "/api/v1%2Fvalidate",
            "/api/v1/validate%2F..%2F..%2Fv2%2Fusers",
            "//api//v1//validate/..//..//v2/users",
            "/api/v1/validate/..;/..;/v2/users",
            "/api/v1/valid%61te/../../v2/users")) {
      JsonNode report = send(ChildRequest.get(world.datadogOrigin() + trick).grant(rulesGrant()));
      assertThat(report.has("error")).as("%s: %s", trick, report).isTrue();
      if (REFUSAL.equals(report.path("error").path("class").asText())) {
        assertThat(report.path("error").path("code").asText())
            .as("%s: %s", trick, report)
            .isEqualTo("policy_violation");
      }
      // either the agent refused it or the client would not write such a target: never sent
      assertThat(world.requestsReceivedEverywhere()).as("%s reached a server", trick).isZero();
    }
    JsonNode collapsed =
        send(ChildRequest.get(world.datadogOrigin() + "/api/./v1/validate").grant(rulesGrant()));
    if (!collapsed.has("error")) {
      assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
          .as("a dot segment the server resolves to an allowed path")
          .containsExactly(world.datadogKey);
    }
  }

  @Test
  void aBodyOverThePolicysLimitIsRefusedBeforeAnythingIsSent() {
    String big = "{\"series\":[" + "0,".repeat(40) + "0]}";
    assertRefused(
        ChildRequest.post(world.datadogOrigin() + "/api/v2/series", big)
            .grant(rulesGrant())
            .header("Content-Type", "application/json"),
        "policy_violation",
        rulesGrant());
  }

  @Test
  void aRateLimitOfNLetsNThroughAndRefusesTheRest() {
    String limited =
        world.admin.createSystemGrant(
            world.datadogSecret,
            "client-it-rate-" + RandomHex.of(3),
            Map.of("rate_limits", List.of(Map.of("requests", 3, "per_seconds", 30))));
    for (int i = 0; i < 3; i++) {
      assertSucceeded(
          send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(limited)));
    }
    world.clearRecordings();
    assertRefused(
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(limited),
        "policy_violation",
        limited);
    JsonNode report =
        send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(limited));
    assertThat(report.path("error").path("message").asText())
        .contains("refused by rule rate_limit 3/30s per grant");
  }

  @Test
  void aRateLimitOfNPerSecondLetsNThroughEachSecondAndRefusesTheRest() throws InterruptedException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        options.timedPolicyCases, "the timed policy cases run in one variant per family");
    String limited =
        world.admin.createSystemGrant(
            world.datadogSecret,
            "client-it-rate-second-" + RandomHex.of(3),
            Map.of("rate_limits", List.of(Map.of("requests", 2, "per_seconds", 1))));
    ChildRequest call = ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(limited);
    assertSucceeded(send(call)); // resolves the grant, so the timed rounds below are warm
    // a round proves the limit only if its four requests fit in one second; a machine too busy for
    // that gets another round (after a second without requests, the limit is whole again)
    for (int round = 1; ; round++) {
      Thread.sleep(1_100);
      world.clearRecordings();
      long started = System.nanoTime();
      JsonNode first = send(call);
      JsonNode second = send(call);
      int sentBefore = world.requestsReceivedEverywhere();
      JsonNode third = send(call);
      JsonNode fourth = send(call);
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      if (elapsedMillis >= 1_000) {
        assertThat(round).as("rounds slower than the one-second interval").isLessThan(5);
        continue;
      }
      assertSucceeded(first);
      assertSucceeded(second);
      assertThat(sentBefore).isEqualTo(2);
      for (JsonNode refused : List.of(third, fourth)) {
        assertThat(refused.path("error").path("code").asText())
            .as("app report %s", refused)
            .isEqualTo("policy_violation");
        assertThat(refused.path("error").path("message").asText())
            .contains(limited, "refused by rule rate_limit 2/1s per grant");
      }
      assertThat(world.requestsReceivedEverywhere())
          .as("refused requests sent nothing")
          .isEqualTo(2);
      break;
    }
    Thread.sleep(1_100);
    world.clearRecordings();
    assertSucceeded(send(call));
    assertSucceeded(send(call));
    assertThat(world.provider.requests())
        .allSatisfy(r -> assertThat(r.headerValues("DD-API-KEY")).containsExactly(world.datadogKey))
        .hasSize(2);
  }

  @Test
  void aTimeWindowThatClosesWhileTheAppRunsStopsInjectionAtTheClose() throws InterruptedException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        options.policyWindowClose, "the window-close case runs in one variant of the matrix");
    // a warm app first, so the window's first request is not the JVM's first
    assertSucceeded(
        send(
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate")
                .grant(world.datadogGrant)));
    world.clearRecordings();
    // windows have whole minutes: the next minute boundary (UTC) at least 10 s away closes it,
    // time enough for the grant's first (cold) request on a loaded machine
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    java.time.ZonedDateTime close = now.withSecond(0).withNano(0).plusMinutes(1);
    if (java.time.Duration.between(now, close).getSeconds() < 10) {
      close = close.plusMinutes(1);
    }
    if (!close.toLocalDate().equals(now.toLocalDate())) {
      close = now.toLocalDate().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC);
    }
    String to =
        close.toLocalDate().equals(now.toLocalDate())
            ? String.format("%02d:%02d", close.getHour(), close.getMinute())
            : "24:00";
    String day = now.getDayOfWeek().name().substring(0, 3).toLowerCase(java.util.Locale.ROOT);
    String windowed =
        world.admin.createSystemGrant(
            world.datadogSecret,
            "client-it-window-" + RandomHex.of(3),
            Map.of(
                "windows",
                List.of(Map.of("days", List.of(day), "from", "00:00", "to", to, "zone", "UTC"))));
    assertSucceeded(
        send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(windowed)));
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
    long untilClose =
        java.time.Duration.between(java.time.Instant.now(), close.toInstant()).toMillis();
    Thread.sleep(Math.max(0, untilClose) + 250);
    world.clearRecordings();
    JsonNode after =
        send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(windowed));
    assertFailedClosed(after, "policy_violation", windowed);
    assertThat(after.path("error").path("message").asText())
        .containsAnyOf("rule valid_until", "rule windows");
  }
}
