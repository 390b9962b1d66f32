package dev.alter.it.okhttp;

import static dev.alter.it.contract.BypassOutcome.injected;
import static dev.alter.it.contract.BypassOutcome.refusedByAgent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.okhttp.app.ScriptedOkHttpClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client contract for OkHttp, for one release, one call style ({@code execute} or {@code
 * enqueue}), one protocol and one JDK; the app watches every call through interceptors, an event
 * listener and {@code HttpLoggingInterceptor} at HEADERS.
 */
abstract class OkHttpClientContract extends AbstractClientContract {
  private final OkHttpRelease release;
  private final String mode;
  private final String protocol;

  OkHttpClientContract(OkHttpRelease release, JavaRuntime runtime, String mode, String protocol) {
    super(runtime);
    this.release = release;
    this.mode = mode;
    this.protocol = protocol;
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedOkHttpClient.class, mode, protocol)
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child) {
    assertThat(ready.path("okhttp_version").asText())
        .as("%s", child.describe())
        .isEqualTo(release.version);
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // OkHttp accepts the Unicode spelling and dials its IDNA form: both reach the agent
    options
        .http2(protocol.equals("HTTP_2"))
        .keepsTheAppsContentType(false)
        .unicodeLookAlike(refusedByAgent())
        .underscoreHostOverTls(refusedByAgent())
        .trailingDotOverTls(injected());
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    // what the app holds of the first hop is its own request: the grant header, never the key
    assertThat(report.path("prior_responses")).hasSize(1);
    assertThat(report.path("prior_responses").get(0).asText())
        .contains(world.datadogGrant)
        .doesNotContain(world.datadogKey);
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    JsonNode observed = report.path("observed");
    for (String observer :
        List.of(
            "application_interceptor",
            "network_interceptor",
            "event_listener_request_headers_end")) {
      assertThat(observed.path(observer)).as(observer).hasSize(1);
      assertThat(observed.path(observer).get(0).asText())
          .as(observer)
          .contains("X-Marker", credential.grant)
          .doesNotContain(credential.key)
          .doesNotContainIgnoringCase(credential.header);
    }
    assertThat(observed.path("logging_interceptor_headers").toString())
        .as("HttpLoggingInterceptor at HEADERS")
        .contains("X-Marker")
        .doesNotContain(credential.key)
        .doesNotContainIgnoringCase(credential.header);
    for (String held : List.of("response_request", "network_response_request")) {
      assertThat(report.path(held).asText())
          .as(held)
          .contains(credential.grant)
          .doesNotContain(credential.key)
          .doesNotContainIgnoringCase(credential.header);
    }
    assertThat(app().stderr().substring(stderrFrom)).doesNotContain(credential.key);
  }

  @Override
  protected void assertRefusalLeftNoTrace(JsonNode report, String stderrDuringCall) {
    // refused before any header was written, and never retried: network interceptors run once
    // per attempt. From 3.14 on the refusal even precedes requestHeadersStart; in 3.12 OkHttp
    // fires that event itself just before calling the codec.
    JsonNode events = report.path("observed").path("events");
    assertThat(events.path("request_headers_start").asInt())
        .as("app report %s", report)
        .isEqualTo(release.hasExchange() ? 0 : 1);
    assertThat(events.path("request_headers_end").asInt()).as("app report %s", report).isZero();
    assertThat(events.path("call_failed").asInt()).as("app report %s", report).isEqualTo(1);
    assertThat(report.path("observed").path("network_interceptor"))
        .as("app report %s", report)
        .hasSize(1);
  }

  @Test
  void queryParameterCredentialIsAddedOnlyToTheTargetOnTheWire() {
    JsonNode report =
        send(
            ChildRequest.get(world.datadogOrigin() + "/api/v1/metrics?from=1")
                .grant(world.queryGrant));

    assertSucceeded(report);
    RecordedRequest received = world.provider.singleRequest();
    assertThat(received.target())
        .startsWith("/api/v1/metrics?")
        .contains("from=1", "api_key=" + world.queryKey);
    assertNoAlterHeaders(received);
    assertThat(report.path("response_request").asText())
        .contains("/api/v1/metrics?from=1")
        .doesNotContain(world.queryKey);
  }
}
