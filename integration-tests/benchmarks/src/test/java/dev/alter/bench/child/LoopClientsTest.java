package dev.alter.bench.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every measured client family sends what the benchmark assumes: a GET with the one header asked
 * for (none, the app's own key, or the tag).
 */
class LoopClientsTest {
  private static RecordingServer server;

  @BeforeAll
  static void start() {
    server = RecordingServer.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"jdk", "okhttp", "apache-classic", "apache-async", "reactor-netty", "jetty"})
  void sendsGetsWithTheHeaderAsked(String family) throws Exception {
    server.clear();
    try (LoopClient client = LoopClient.create(family)) {
      for (int i = 0; i < 20; i++) {
        assertThat(client.get(server.url("/loop"), null, null)).isEqualTo(200);
      }
      assertThat(client.get(server.url("/loop"), "DD-API-KEY", "own-key")).isEqualTo(200);
      assertThat(client.get(server.url("/loop"), LoopClient.GRANT_HEADER, "grt_smoke"))
          .isEqualTo(200);
    }
    assertThat(server.requests()).hasSize(22);
    RecordedRequest bare = server.requests().get(0);
    RecordedRequest keyed = server.requests().get(20);
    RecordedRequest tagged = server.requests().get(21);
    assertThat(bare.method()).isEqualTo("GET");
    assertThat(bare.hasAnyAlterHeader()).isFalse();
    assertThat(bare.header("DD-API-KEY")).isNull();
    assertThat(keyed.header("DD-API-KEY")).isEqualTo("own-key");
    assertThat(keyed.hasAnyAlterHeader()).isFalse();
    // no agent here: the tag goes out as the app set it
    assertThat(tagged.header("alter-grant")).isEqualTo("grt_smoke");
  }
}
