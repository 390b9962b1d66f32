package dev.alter.it.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.ConnectProxy;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Jetty 12's {@code HttpClient} beyond the contract's protocols, in child JVMs with the real agent:
 * HTTP/2 over cleartext with prior knowledge ({@code HttpClientTransportOverHTTP2} on an {@code
 * http://} origin), and requests through a forward HTTP proxy (a CONNECT tunnel), where the
 * destination is the TLS origin at the tunnel's end and the credential reaches only that origin,
 * never the proxy.
 */
class JettyH2cAndProxyTest {
  private static final Duration ANSWER = Duration.ofSeconds(45);
  private final ClientWorld world = ClientWorld.get();

  private RunningChild start(String protocol) {
    JettyRelease release = JettyRelease.JETTY_12;
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .env("ALTER_RESOLVE_TIMEOUT", "30s")
            .classpathOf(ChildReport.class)
            .main(release.app().toString(), protocol)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    RunningChild app = child.start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("jetty_version").asText()).as(app.describe()).isEqualTo(release.version);
    return app;
  }

  private List<RecordedRequest> receivedAt(String path) {
    return Stream.of(world.provider, world.otherPort, world.plain)
        .flatMap(server -> server.requests().stream())
        .filter(r -> r.target().equals(path))
        .toList();
  }

  private static JsonNode ask(RunningChild app, String command, ChildRequest request) {
    return app.ask(command + " " + request.toLine(), ANSWER);
  }

  @Test
  void cleartextHttp2WithPriorKnowledgeGetsTheCredentialOnTheAllowedPlainOrigin() {
    try (RunningChild app = start("H2C")) {
      for (String hop : new String[] {"first", "second"}) {
        String path = "/jetty-h2c/" + hop + "/" + RandomHex.of(4);
        JsonNode report =
            ask(app, "request", ChildRequest.get(world.plain.url(path)).grant(world.plainGrant));

        assertThat(report.path("status").asInt())
            .as("%s\n%s", report, app.describe())
            .isEqualTo(200);
        assertThat(report.path("protocol").asText()).isEqualTo("HTTP/2.0");
        RecordedRequest received = receivedAt(path).get(0);
        assertThat(received.isHttp2()).as("%s", received).isTrue();
        assertThat(received.headerValues("X-Api-Key")).containsExactly(world.plainKey);
        assertThat(received.hasAnyAlterHeader()).as("%s", received).isFalse();
        for (JsonNode seen : report.path("observed")) {
          assertThat(seen.asText()).contains(world.plainGrant).doesNotContain(world.plainKey);
        }
      }

      String revoked = "/jetty-h2c/revoked/" + RandomHex.of(4);
      JsonNode revokedReport =
          ask(app, "request", ChildRequest.get(world.plain.url(revoked)).grant(world.revokedGrant));
      assertThat(revokedReport.path("error").path("code").asText())
          .as("%s", revokedReport)
          .isEqualTo("grant_revoked");
      assertThat(receivedAt(revoked)).isEmpty();

      // the Datadog secret allows only its TLS origin, not this plain one
      String otherHost = "/jetty-h2c/other-host/" + RandomHex.of(4);
      JsonNode otherHostReport =
          ask(
              app,
              "request",
              ChildRequest.get(world.plain.url(otherHost)).grant(world.datadogGrant));
      assertThat(otherHostReport.path("error").path("code").asText())
          .as("%s", otherHostReport)
          .isEqualTo("host_not_allowed");
      assertThat(otherHostReport.path("error").path("grant_id").asText())
          .isEqualTo(world.datadogGrant);
      assertThat(receivedAt(otherHost)).isEmpty();

      // the connection that refused two streams still serves the next one
      String after = "/jetty-h2c/after/" + RandomHex.of(4);
      JsonNode afterReport =
          ask(app, "request", ChildRequest.get(world.plain.url(after)).grant(world.plainGrant));
      assertThat(afterReport.path("status").asInt()).as("%s", afterReport).isEqualTo(200);
      assertThat(receivedAt(after).get(0).headerValues("X-Api-Key"))
          .containsExactly(world.plainKey);

      app.close();
      assertThat(app.stdout() + app.stderr()).doesNotContain(world.plainKey);
    }
  }

  @Test
  void throughAConnectProxyTheCredentialReachesOnlyTheOriginAtTheTunnelsEnd() {
    try (ConnectProxy proxy = new ConnectProxy();
        RunningChild app = start("HTTP11")) {
      String path = "/jetty-proxied/" + RandomHex.of(4);
      JsonNode report =
          ask(
              app,
              "proxied " + proxy.port(),
              ChildRequest.get(world.datadogOrigin() + path)
                  .grant(world.datadogGrant)
                  .header("X-Marker", "proxied"));

      assertThat(report.path("status").asInt()).as("%s\n%s", report, app.describe()).isEqualTo(200);
      RecordedRequest received = receivedAt(path).get(0);
      assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertThat(received.hasAnyAlterHeader()).isFalse();
      assertThat(received.header("X-Marker")).isEqualTo("proxied");
      assertThat(proxy.connectHeads())
          .singleElement()
          .satisfies(
              head ->
                  assertThat(head)
                      .startsWith("CONNECT api.datadoghq.com:" + world.provider.port())
                      .doesNotContainIgnoringCase("alter-")
                      .doesNotContain(world.datadogKey));
      assertThat(proxy.relayedText())
          .as("the tunnel carries TLS only")
          .doesNotContain(world.datadogKey)
          .doesNotContain(world.datadogGrant)
          .doesNotContain("proxied");

      // binding is on the origin at the tunnel's end: another port there is refused, unsent
      String refused = "/jetty-proxied/other-port/" + RandomHex.of(4);
      JsonNode otherPort =
          ask(
              app,
              "proxied " + proxy.port(),
              ChildRequest.get("https://api.datadoghq.com:" + world.otherPort.port() + refused)
                  .grant(world.datadogGrant));
      assertThat(otherPort.path("error").path("code").asText())
          .as("%s", otherPort)
          .isEqualTo("host_not_allowed");
      assertThat(otherPort.path("error").path("grant_id").asText()).isEqualTo(world.datadogGrant);
      assertThat(receivedAt(refused)).isEmpty();
      assertThat(proxy.relayedText()).doesNotContain(world.datadogGrant);

      app.close();
      assertThat(app.stdout() + app.stderr()).doesNotContain(world.datadogKey);
    }
  }

  @Test
  void plainHttpThroughAProxyIsBoundToTheDialledPeer() {
    try (ConnectProxy proxy = new ConnectProxy();
        RunningChild app = start("HTTP11")) {
      String path = "/jetty-proxied/plain/" + RandomHex.of(4);
      JsonNode report =
          ask(
              app,
              "proxied " + proxy.port(),
              ChildRequest.get(world.plain.url(path)).grant(world.plainGrant));

      // over cleartext Jetty sends the request itself to the proxy; the agent knows only the
      // socket it dialled (the proxy) and refuses rather than trust the request's authority
      assertThat(report.path("error").path("code").asText())
          .as("%s", report)
          .isEqualTo("host_not_allowed");
      assertThat(receivedAt(path)).isEmpty();
      assertThat(proxy.connectHeads()).noneMatch(head -> head.contains(world.plainGrant));
      assertThat(proxy.relayedText())
          .doesNotContain(world.plainKey)
          .doesNotContain(world.plainGrant);
    }
  }
}
