package dev.alter.it.reactornetty;

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
import dev.alter.it.reactornetty.app.ScriptedReactorNettyClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reactor Netty beyond the contract's protocols, in child JVMs with the real agent: HTTP/2 over
 * cleartext (prior knowledge, and the {@code Upgrade: h2c} offer), and requests through a forward
 * HTTP proxy (a CONNECT tunnel), where the destination is the origin at the tunnel's end and the
 * credential reaches only that origin, never the proxy.
 */
class ReactorNettyH2cAndProxyTest {
  private static final Duration ANSWER = Duration.ofSeconds(45);
  private final ClientWorld world = ClientWorld.get();

  private RunningChild start(ReactorNettyRelease release, String protocol) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .main(ScriptedReactorNettyClient.class, protocol)
            .classpathOf(ChildReport.class, ScriptedReactorNettyClient.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    RunningChild app = child.start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(60));
    assertThat(ready.path("reactor_netty_version").asText()).isEqualTo(release.version);
    return app;
  }

  private List<RecordedRequest> receivedAt(String path) {
    return Stream.of(world.provider, world.otherPort, world.plain)
        .flatMap(server -> server.requests().stream())
        .filter(r -> r.target().equals(path))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"H2C", "H2C_UPGRADE"})
  void cleartextHttp2GetsTheCredentialOnTheAllowedPlainOriginAndFailsClosedOtherwise(
      String protocol) {
    try (RunningChild app = start(ReactorNettyRelease.REACTOR_NETTY_1_3, protocol)) {
      String path = "/h2c/" + RandomHex.of(4);
      JsonNode report =
          app.ask(
              "request " + ChildRequest.get(world.plain.url(path)).grant(world.plainGrant).toLine(),
              ANSWER);

      assertThat(report.path("status").asInt()).as("%s\n%s", report, app.describe()).isEqualTo(200);
      RecordedRequest received = receivedAt(path).get(0);
      assertThat(received.headerValues("X-Api-Key")).containsExactly(world.plainKey);
      assertThat(received.hasAnyAlterHeader()).as("%s", received).isFalse();
      if (protocol.equals("H2C")) {
        assertThat(received.isHttp2()).as("%s", received).isTrue();
      }

      // the second request of an upgraded connection travels as an HTTP/2 stream
      String second = "/h2c/second/" + RandomHex.of(4);
      JsonNode again =
          app.ask(
              "request "
                  + ChildRequest.get(world.plain.url(second)).grant(world.plainGrant).toLine(),
              ANSWER);
      assertThat(again.path("status").asInt()).as("%s", again).isEqualTo(200);
      assertThat(receivedAt(second).get(0).headerValues("X-Api-Key"))
          .containsExactly(world.plainKey);

      String refused = "/h2c/refused/" + RandomHex.of(4);
      JsonNode revoked =
          app.ask(
              "request "
                  + ChildRequest.get(world.plain.url(refused)).grant(world.revokedGrant).toLine(),
              ANSWER);
      assertThat(revoked.path("error").path("code").asText())
          .as("%s", revoked)
          .isEqualTo("grant_revoked");
      assertThat(receivedAt(refused)).isEmpty();
      app.close();
      assertThat(app.stdout() + app.stderr()).doesNotContain(world.plainKey);
    }
  }

  @ParameterizedTest
  @EnumSource(ReactorNettyRelease.class)
  void throughAConnectProxyTheCredentialReachesOnlyTheOriginAtTheTunnelsEnd(
      ReactorNettyRelease release) {
    try (ConnectProxy proxy = new ConnectProxy();
        RunningChild app = start(release, "HTTP11")) {
      String path = "/proxied/" + RandomHex.of(4);
      JsonNode report =
          app.ask(
              "proxied "
                  + proxy.port()
                  + " "
                  + ChildRequest.get(world.datadogOrigin() + path)
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER);

      assertThat(report.path("status").asInt()).as("%s\n%s", report, app.describe()).isEqualTo(200);
      RecordedRequest received = receivedAt(path).get(0);
      assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertThat(received.hasAnyAlterHeader()).isFalse();
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
          .doesNotContain(world.datadogGrant);

      // binding is on the origin at the tunnel's end: another port there is refused, unsent
      String refused = "/proxied/other-port/" + RandomHex.of(4);
      JsonNode otherPort =
          app.ask(
              "proxied "
                  + proxy.port()
                  + " "
                  + ChildRequest.get(
                          "https://api.datadoghq.com:" + world.otherPort.port() + refused)
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER);
      assertThat(otherPort.path("error").path("code").asText())
          .as("%s", otherPort)
          .isEqualTo("host_not_allowed");
      assertThat(receivedAt(refused)).isEmpty();
      assertThat(proxy.relayedText()).doesNotContain(world.datadogGrant);
    }
  }

  @ParameterizedTest
  @EnumSource(ReactorNettyRelease.class)
  void plainHttpThroughAConnectProxyIsBoundToTheDialledPeer(ReactorNettyRelease release) {
    try (ConnectProxy proxy = new ConnectProxy();
        RunningChild app = start(release, "HTTP11")) {
      String path = "/proxied/plain/" + RandomHex.of(4);
      JsonNode report =
          app.ask(
              "proxied "
                  + proxy.port()
                  + " "
                  + ChildRequest.get(world.plain.url(path)).grant(world.plainGrant).toLine(),
              ANSWER);

      // over cleartext the agent knows only the socket it dialled (the proxy): it refuses rather
      // than trust the Host header, and the proxy sees neither grant id nor credential
      assertThat(report.path("error").path("code").asText())
          .as("%s", report)
          .isEqualTo("host_not_allowed");
      assertThat(receivedAt(path)).isEmpty();
      assertThat(proxy.relayedText())
          .doesNotContain(world.plainKey)
          .doesNotContain(world.plainGrant);
    }
  }
}
