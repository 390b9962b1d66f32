package dev.alter.it.jetty;

import static dev.alter.it.contract.BypassOutcome.injected;
import static dev.alter.it.contract.BypassOutcome.refusedByAgent;
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
import java.nio.file.Path;

/**
 * The client contract for Jetty's {@code HttpClient}, for one release, one protocol and one JDK;
 * the app watches every call through its request listeners ({@code onRequestHeaders}, {@code
 * onRequestCommit}, {@code onRequestSuccess}) and the request its response holds.
 */
abstract class JettyClientContract extends AbstractClientContract {
  private final JettyRelease release;
  private final String protocol;

  JettyClientContract(JettyRelease release, JavaRuntime runtime, String protocol) {
    super(runtime);
    this.release = release;
    this.protocol = protocol;
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .classpathOf(ChildReport.class)
            .main(release.app().toString(), protocol)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child) {
    assertThat(ready.path("jetty_version").asText())
        .as("%s", child.describe())
        .isEqualTo(release.version);
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // Jetty's URI parser refuses the Unicode look-alike and the underscore host before anything
    // is dialled; the userinfo spelling reaches the agent, which sees the host actually dialled
    options
        .http2(protocol.equals("H2"))
        .keepsTheAppsContentType(true)
        .userinfoHost(refusedByAgent())
        .unicodeLookAlike(refusedByClient("java.lang.IllegalArgumentException"))
        .underscoreHostOverTls(refusedByClient("java.lang.IllegalArgumentException"))
        .trailingDotOverTls(injected());
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    // the response holds the last hop's request: Jetty's copy of the app's, with no credential
    assertThat(report.path("response_request").asText())
        .contains("/redirect/landing", world.datadogGrant)
        .doesNotContain(world.datadogKey);
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    JsonNode observed = report.path("observed");
    assertThat(observed).as("onRequestHeaders, onRequestCommit, onRequestSuccess").hasSize(3);
    for (JsonNode seen : observed) {
      assertThat(seen.asText())
          .contains("X-Marker", credential.grant)
          .doesNotContain(credential.key)
          .doesNotContainIgnoringCase(credential.header + ":");
    }
    assertThat(report.path("response_request").asText())
        .contains(credential.grant)
        .doesNotContain(credential.key);
    assertThat(app().stderr().substring(stderrFrom)).doesNotContain(credential.key);
  }
}
