package dev.alter.it.reactornetty;

import static dev.alter.it.contract.BypassOutcome.injected;
import static dev.alter.it.contract.BypassOutcome.refusedByClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.reactornetty.app.ScriptedReactorNettyClient;
import java.nio.file.Path;

/**
 * The client contract for Reactor Netty's {@code HttpClient}, for one release, one protocol and one
 * JDK; the app watches every call through {@code doOnRequest}, {@code doAfterRequest}, the
 * response's request headers, {@code wiretap} at TEXTUAL and a Netty {@code LoggingHandler} first
 * in the pipeline.
 */
abstract class ReactorNettyClientContract extends AbstractClientContract {
  private final ReactorNettyRelease release;
  private final String protocol;

  ReactorNettyClientContract(ReactorNettyRelease release, JavaRuntime runtime, String protocol) {
    super(runtime);
    this.release = release;
    this.protocol = protocol;
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedReactorNettyClient.class, protocol)
            .classpathOf(ChildReport.class, ScriptedReactorNettyClient.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child) {
    assertThat(ready.path("reactor_netty_version").asText())
        .as("%s", child.describe())
        .isEqualTo(release.version);
    assertThat(ready.path("netty_version").asText())
        .as("%s", child.describe())
        .isEqualTo(release.nettyVersion);
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // Reactor Netty refuses these spellings itself before any byte of HTTP is written: the JDK's
    // resolver finds no such host, and the JDK's TLS engine rejects an underscore in SNI
    options
        .http2(protocol.equals("H2"))
        // the HTTP/1.1 app turns keep-alive off (see ScriptedReactorNettyClient)
        .connectionPerCall(!protocol.equals("H2"))
        .keepsTheAppsContentType(true)
        // a publisher body reaches the codec without a declared length
        .streamsRequestBodies(true)
        .userinfoHost(refusedByClient("java.net.UnknownHostException"))
        .unicodeLookAlike(refusedByClient("java.net.UnknownHostException"))
        .underscoreHostOverTls(refusedByClient("javax.net.ssl.SSLHandshakeException"))
        .trailingDotOverTls(injected());
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    assertThat(report.path("redirected_from")).hasSize(1);
    assertThat(report.path("response_request").asText())
        .contains(world.datadogGrant)
        .doesNotContain(world.datadogKey);
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    JsonNode observed = report.path("observed");
    assertThat(observed).as("doOnRequest and doAfterRequest").hasSize(2);
    for (JsonNode seen : observed) {
      assertThat(seen.asText())
          .contains("X-Marker", credential.grant)
          .doesNotContain(credential.key)
          .doesNotContainIgnoringCase(credential.header + ":");
    }
    assertThat(report.path("response_request").asText())
        .contains(credential.grant)
        .doesNotContain(credential.key);
    String logged = app().stderr().substring(stderrFrom);
    assertThat(logged).as("wiretap and LoggingHandler").doesNotContain(credential.key);
    if (!protocol.equals("H2")) {
      // over HTTP/2 the loggers see HPACK-compressed header blocks, not text
      assertThat(logged).as("wiretap and LoggingHandler logged the request").contains("X-Marker");
    }
  }
}
