package dev.alter.it.apache4;

import static dev.alter.it.contract.BypassOutcome.refusedByAgent;
import static dev.alter.it.contract.BypassOutcome.refusedByClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The client contract for Apache HttpClient 4.5 classic, for one client release on one JDK, with
 * the client's headers and wire logs switched on.
 */
abstract class Apache4Contract extends AbstractClientContract {
  private final Apache4Version version;

  Apache4Contract(JavaRuntime runtime, Apache4Version version) {
    super(runtime);
    this.version = version;
  }

  static ChildJvm child(ClientWorld world, JavaRuntime runtime, Apache4Version version) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedApache4Client.class)
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts)
            .systemProperty(
                "org.apache.commons.logging.Log", "org.apache.commons.logging.impl.Jdk14Logger");
    for (Path jar : version.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    return child(world, runtime, version);
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child) {
    assertThat(ready.path("client_version").asText())
        .as(child.describe())
        .isEqualTo(version.release());
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // HttpClient 4.5's DefaultHostnameVerifier compares a trailing-dot name with its dot
    options
        .invisibilityOnAPlaceholder(true)
        .underscoreHostOverPlainHttp(refusedByAgent())
        .trailingDotOverTls(refusedByClient("javax.net.ssl.SSLPeerUnverifiedException"));
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    assertThat(report.path("redirect_locations").toString()).contains("/redirect/landing");
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    String appsOwn = credential.header + ": " + credential.placeholder;
    assertThat(report.path("interceptor_headers").toString())
        .contains("alter-grant: " + credential.grant, appsOwn)
        .doesNotContain(credential.key);
    assertThat(report.path("context_request_headers").toString())
        .contains("alter-grant: " + credential.grant)
        .doesNotContain(credential.key);
    assertThat(report.path("app_request_headers").toString())
        .contains(appsOwn)
        .doesNotContain(credential.key);
    // org.apache.http.wire printed the bytes sent with the injected value masked (stderr is read
    // on its own thread, so wait for that line)
    String logged =
        app()
            .awaitStderrSince(
                stderrFrom,
                "\"" + credential.header + ": [REDACTED][\\r][\\n]\"",
                Duration.ofSeconds(10));
    // org.apache.http.headers printed the request object: the app's own headers
    assertThat(logged).contains(">> X-Marker: invisibility", ">> alter-grant: " + credential.grant);
    assertThat(logged).doesNotContain(credential.key);
  }

  @Override
  protected void assertRefusalLeftNoTrace(JsonNode report, String stderrDuringCall) {
    // the default retry handler did not try again (it logs every retry at INFO)
    assertThat(stderrDuringCall).doesNotContain("Retrying request");
  }
}
