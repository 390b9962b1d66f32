package dev.alter.it.apache;

import static dev.alter.it.contract.BypassOutcome.injectedOrRefusedByClient;
import static dev.alter.it.contract.BypassOutcome.refusedByAgentOrClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client contract for Apache HttpClient 5, for one client line, one mode (classic, async
 * HTTP/1.1, async HTTP/2; always over TLS to the provider) and one JDK, with the client's wire,
 * headers and HTTP/2 frame logs switched on into a file.
 */
abstract class ApacheHttpClientContract extends AbstractClientContract {
  private final ApacheClientVersion version;
  private final String mode;
  private final Path workDir;

  ApacheHttpClientContract(JavaRuntime runtime, ApacheClientVersion version, String mode) {
    super(runtime);
    this.version = version;
    this.mode = mode;
    this.workDir =
        SharedResolverService.workDirectory("apache-" + mode + "-" + version.exactVersion());
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    return ApacheChild.configure(world, runtime, version, mode, appLog(withAgent));
  }

  private Path appLog(boolean withAgent) {
    return workDir.resolve(withAgent ? "app-with-agent.log" : "app-without-agent.log");
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child) {
    assertThat(ready.path("client_version").asText())
        .as(child.describe())
        .isEqualTo(version.exactVersion());
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // HttpClient itself rejects some bypass spellings (a URI without a usable host), and some
    // versions' hostname verifiers refuse a trailing-dot name during the handshake
    options
        .http2(http2())
        .streamsRequestBodies(http2())
        .plainHttpRequestMayRepeat(true)
        .userinfoHost(refusedByAgentOrClient())
        .underscoreHostOverTls(refusedByAgentOrClient())
        .trailingDotOverTls(injectedOrRefusedByClient("javax.net.ssl.SSLPeerUnverifiedException"));
  }

  @Override
  protected Map<String, String> otherOutputs() {
    try {
      Path log = appLog(true);
      return Map.of(
          "the client's debug log (wire, headers, frames)",
          Files.exists(log) ? Files.readString(log) : "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Classic only: {@code execute(HttpHost target, request)}, dialling {@code origin}. */
  JsonNode sendVia(String origin, ChildRequest request) {
    return app().ask("request-via " + origin + " " + request.toLine(), Duration.ofSeconds(40));
  }

  private boolean http2() {
    return mode.equals("async-http2");
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    // the interceptor ran on both hops and saw the app's headers only
    assertThat(report.path("interceptor_saw")).hasSize(2);
    assertThat(report.path("interceptor_saw").toString())
        .contains(world.datadogGrant)
        .doesNotContain(world.datadogKey);
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    // the app's own request object, HttpClientContext.getRequest() and a last interceptor
    for (String field : List.of("request_headers", "context_request_headers", "interceptor_saw")) {
      assertThat(report.path(field).toString())
          .as(field)
          .contains("alter-grant: " + credential.grant)
          .doesNotContain(credential.key);
    }
    String log = report.path("log").asText();
    assertThat(log)
        .as("headers log")
        .contains("http.headers")
        .contains("alter-grant: " + credential.grant);
    String wire = WireLog.outgoing(log);
    assertThat(wire)
        .as("bytes the wire log printed as sent")
        .contains("[REDACTED]")
        .doesNotContain(credential.key);
    if (!http2()) {
      assertThat(wire)
          .containsIgnoringCase(credential.header + ": [REDACTED]\r\n")
          .contains("X-Marker: invisibility");
    }
  }

  @Test
  void concurrentTaggedRequestsEachCarryExactlyTheCredential() {
    // for HTTP/2 these share one connection: many streams, one HPACK context
    int count = 16;
    JsonNode report =
        app()
            .ask(
                "burst "
                    + count
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/api/v1/burst")
                        .grant(world.datadogGrant)
                        .toLine(),
                Duration.ofSeconds(120));

    assertThat(report.path("ok").asInt()).as("app report %s", report).isEqualTo(count);
    List<RecordedRequest> received = world.provider.requests();
    assertThat(received).hasSize(count);
    for (RecordedRequest request : received) {
      assertThat(request.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertNoAlterHeaders(request);
    }
  }

  @Test
  void refusedRequestIsNotRetriedByTheClient() {
    // DefaultHttpRequestRetryStrategy would retry this idempotent GET once, after 1 s; the retry
    // sits above the protocol step, so the last request interceptor runs once per attempt
    String unknown = "grt_retrycheck00000000000";
    JsonNode report =
        send(ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(unknown));

    assertFailedClosed(report, "grant_not_found", unknown);
    assertThat(report.path("interceptor_saw")).as("attempts, in app report %s", report).hasSize(1);
  }
}
