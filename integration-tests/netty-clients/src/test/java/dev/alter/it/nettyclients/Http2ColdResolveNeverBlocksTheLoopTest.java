package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.DelayingTcpProxy;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Tagged HTTP/2 requests for grants no process has resolved yet, every resolve delayed {@value
 * #RESOLVE_DELAY_MS} ms on its way to the service, while untagged requests run one after another in
 * the same client. Were a resolve waited for on an event loop, the untagged requests on that loop
 * would stall with it. AsyncHttpClient's untagged requests share the tagged ones' HTTP/2 connection
 * (held streams have no identifier yet, so other streams go on); Vert.x's go to another origin,
 * because streams opened after a held one on the same Vert.x connection wait with it.
 */
class Http2ColdResolveNeverBlocksTheLoopTest {
  private static final int GRANTS = 4;
  private static final long RESOLVE_DELAY_MS = 1500;

  private final ClientWorld world = ClientWorld.get();

  @Test
  void asyncHttpClientKeepsServingUntaggedStreamsOnTheSameConnection() {
    List<RecordedRequest> tagged =
        burst(NettyClientApp.ASYNC_HTTP_CLIENT, world.datadogOrigin() + "/ahc-h2-cold/untagged");
    Set<String> taggedConnections =
        tagged.stream().map(RecordedRequest::connection).collect(Collectors.toSet());
    assertThat(
            world.provider.requests().stream()
                .filter(r -> r.target().equals("/ahc-h2-cold/untagged"))
                .map(RecordedRequest::connection))
        .as("untagged streams went out on a connection that carried held tagged streams")
        .anyMatch(taggedConnections::contains);
  }

  @Test
  void vertxKeepsServingUntaggedRequestsOnItsLoops() {
    burst(NettyClientApp.VERTX_WEB_CLIENT, world.otherPort.url("/vertx-h2-cold/untagged"));
  }

  @Test
  void asyncHttpClientSendsAHeldPostWithItsBodyOnceTheResolveEnds() {
    heldPostKeepsItsBody(NettyClientApp.ASYNC_HTTP_CLIENT);
  }

  @Test
  void vertxSendsAHeldPostWithItsBodyOnceTheResolveEnds() {
    heldPostKeepsItsBody(NettyClientApp.VERTX_WEB_CLIENT);
  }

  /** The HEADERS write is held during the cold resolve and the DATA writes behind it, in order. */
  private void heldPostKeepsItsBody(NettyClientApp client) {
    String grant =
        world.admin.createSystemGrant(world.datadogSecret, "h2-cold-post-" + RandomHex.of(4));
    String body = "h2-body-" + RandomHex.of(16);
    int servicePort = URI.create(world.service.baseUrl()).getPort();
    try (DelayingTcpProxy slowNetwork = new DelayingTcpProxy(servicePort, RESOLVE_DELAY_MS);
        RunningChild app =
            client
                .child(world, world.app.apiKey, "H2")
                .resolver("http://127.0.0.1:" + slowNetwork.port(), world.app.apiKey)
                .env("ALTER_RESOLVE_TIMEOUT", "60s")
                .start()) {
      app.nextReport(Duration.ofSeconds(60));
      String path = "/h2-cold-post/" + RandomHex.of(4);
      JsonNode report =
          app.ask(
              "request "
                  + ChildRequest.post(world.datadogOrigin() + path, body).grant(grant).toLine(),
              Duration.ofSeconds(60));

      assertThat(report.path("status").asInt()).as("%s", report).isEqualTo(200);
      List<RecordedRequest> received =
          world.provider.requests().stream().filter(r -> r.target().equals(path)).toList();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).isHttp2()).isTrue();
      assertThat(received.get(0).method()).isEqualTo("POST");
      assertThat(received.get(0).bodyText()).isEqualTo(body);
      assertThat(received.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
      assertThat(received.get(0).hasAnyAlterHeader()).isFalse();
    }
  }

  private List<RecordedRequest> burst(NettyClientApp client, String untaggedUrl) {
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < GRANTS; i++) {
      grants.add(world.admin.createSystemGrant(world.datadogSecret, "h2-cold-" + i));
    }
    int servicePort = URI.create(world.service.baseUrl()).getPort();
    try (DelayingTcpProxy slowNetwork = new DelayingTcpProxy(servicePort, RESOLVE_DELAY_MS);
        RunningChild app =
            client
                .child(world, world.app.apiKey, "H2")
                .resolver("http://127.0.0.1:" + slowNetwork.port(), world.app.apiKey)
                .env("ALTER_RESOLVE_TIMEOUT", "60s")
                .start()) {
      app.nextReport(Duration.ofSeconds(60));
      String taggedPath = "/" + client.name().toLowerCase() + "-h2-cold/tagged";
      JsonNode report =
          app.ask(
              "burst "
                  + world.datadogOrigin()
                  + taggedPath
                  + " "
                  + untaggedUrl
                  + " "
                  + String.join(" ", grants),
              Duration.ofSeconds(120));

      assertThat(report.path("tagged_ok").asInt())
          .as("%s\n%s", report, app.describe())
          .isEqualTo(GRANTS);
      List<RecordedRequest> tagged =
          world.provider.requests().stream().filter(r -> r.target().equals(taggedPath)).toList();
      assertThat(tagged).hasSize(GRANTS);
      tagged.forEach(
          received -> {
            assertThat(received.isHttp2()).isTrue();
            assertThat(received.headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
            assertThat(received.hasAnyAlterHeader()).isFalse();
          });
      List<Long> untagged = new ArrayList<>();
      report.path("untagged_ms").forEach(ms -> untagged.add(ms.asLong()));
      assertThat(untagged)
          .as("untagged requests completed while the tagged ones waited (%s)", report)
          .hasSizeGreaterThanOrEqualTo(3);
      List<Long> sorted = new ArrayList<>(untagged.subList(1, untagged.size()));
      sorted.sort(null);
      assertThat(sorted.get(sorted.size() / 2))
          .as("median untagged latency during the cold resolves, ms (%s)", report)
          .isLessThan(RESOLVE_DELAY_MS / 2);
      return tagged;
    }
  }
}
