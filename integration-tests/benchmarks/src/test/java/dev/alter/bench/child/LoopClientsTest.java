package dev.alter.bench.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every measured client family sends what the benchmark assumes: a GET, tagged only when asked. */
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
  @ValueSource(strings = {"jdk", "okhttp", "apache-classic", "apache-async", "reactor-netty"})
  void sendsUntaggedAndTaggedGets(String family) throws Exception {
    server.clear();
    try (LoopClient client = LoopClient.create(family)) {
      for (int i = 0; i < 20; i++) {
        assertThat(client.get(server.url("/loop"), null)).isEqualTo(200);
      }
      assertThat(client.get(server.url("/loop"), "grt_smoke")).isEqualTo(200);
    }
    assertThat(server.requests()).hasSize(21);
    RecordedRequest untagged = server.requests().get(0);
    RecordedRequest tagged = server.requests().get(20);
    assertThat(untagged.method()).isEqualTo("GET");
    assertThat(untagged.hasAnyAlterHeader()).isFalse();
    // no agent here: the tag goes out as the app set it
    assertThat(tagged.header("alter-grant")).isEqualTo("grt_smoke");
  }
}
