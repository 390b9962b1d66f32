package dev.alter.it.jdk;

import static dev.alter.it.contract.BypassOutcome.injected;
import static dev.alter.it.contract.BypassOutcome.refusedByClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import java.time.Duration;

/**
 * The client contract for {@code java.net.http.HttpClient}, for one client mode ({@code send} or
 * {@code sendAsync}), one protocol and one JDK, with the JDK's header log switched on.
 */
abstract class JdkHttpClientContract extends AbstractClientContract {
  private final String mode;
  private final String version;

  JdkHttpClientContract(JavaRuntime runtime, String mode, String version) {
    super(runtime);
    this.mode = mode;
    this.version = version;
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    return ChildJvm.create()
        .runtime(runtime)
        .main(ScriptedJdkClient.class, mode, version)
        .trusting(world.certificate)
        .hosts(world.hosts)
        .systemProperty("jdk.httpclient.HttpClient.log", "headers");
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // java.net.URI has no host for an underscore name, and the JDK refuses the Unicode spelling
    // and, over TLS, a trailing-dot name (SNI forbids it) before the agent is asked
    options
        .http2(version.equals("HTTP_2"))
        .plainHttpRequestMayRepeat(true)
        .unicodeLookAlike(refusedByClient("java.lang.IllegalArgumentException"))
        .underscoreHostOverTls(refusedByClient("java.lang.IllegalArgumentException"))
        .trailingDotOverPlainHttp(injected());
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    // what the app sees of both hops is its own request: the grant header, never the credential
    assertThat(report.path("previous")).hasSize(1);
    assertThat(report.path("previous").get(0).path("request_headers").toString())
        .contains(world.datadogGrant)
        .doesNotContain(world.datadogKey);
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    // HttpResponse.request() is the app's own request: it still names the grant, holds no key
    assertThat(report.path("request_headers").toString())
        .contains("alter-grant: " + credential.grant)
        .doesNotContain(credential.key)
        .doesNotContainIgnoringCase(credential.header);
    // -Djdk.httpclient.HttpClient.log=headers logged this request, without the credential
    String logged = app().awaitStderrSince(stderrFrom, "invisibility", Duration.ofSeconds(10));
    assertThat(logged).containsIgnoringCase("x-marker").doesNotContain(credential.key);
  }
}
