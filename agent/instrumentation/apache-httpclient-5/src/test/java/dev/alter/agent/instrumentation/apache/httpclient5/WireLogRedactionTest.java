package dev.alter.agent.instrumentation.apache.httpclient5;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.ScriptedInjector;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's raw-bytes loggers print injected values masked; the headers logger never has them.
 * Logging goes through slf4j-simple into {@code target/apache-client-debug.log} (see the pom).
 */
class WireLogRedactionTest {
  private static final Path LOG = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));

  @BeforeAll
  static void weave() {
    InstalledInstrumentation.of(new ApacheHttpClient5InstrumentationModule());
  }

  @BeforeEach
  void injector() {
    ScriptedInjector.allowingHost("127.0.0.1").installed();
  }

  @Test
  void classicWireLogShowsTheCredentialRedacted() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpClient client = HttpClients.createDefault()) {
      HttpGet get = new HttpGet(server.url("/classic-wire"));
      get.addHeader("alter-grant", "grt_dd");

      client.execute(get, response -> EntityUtils.toString(response.getEntity()));

      assertThat(server.received.get(0).values("DD-API-KEY")).containsExactly(SECRET);
      String log = Files.readString(LOG);
      assertThat(log).contains("DD-API-KEY: [REDACTED][\\r][\\n]").doesNotContain(SECRET);
      assertThat(log).contains(">> alter-grant: grt_dd");
    }
  }

  @Test
  void asyncHttp1WireLogShowsTheCredentialRedacted() throws Exception {
    try (RecordingHttp1Server server = new RecordingHttp1Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
      client.start();
      client
          .execute(
              SimpleRequestBuilder.get(server.url("/async-wire"))
                  .addHeader("Authorization", "Bearer placeholder")
                  .addHeader("alter-grant", "grt_bearer")
                  .build(),
              null)
          .get(10, TimeUnit.SECONDS);

      assertThat(server.received.get(0).values("Authorization"))
          .containsExactly("Bearer " + SECRET);
      String log = Files.readString(LOG);
      assertThat(log).contains("[REDACTED]").doesNotContain(SECRET);
      // the 16-byte hex dump must not spell the value either
      assertThat(log).doesNotContain(hex(SECRET.substring(0, 8)));
    }
  }

  @Test
  void http2FrameAndWireLogsShowTheCredentialRedacted() throws Exception {
    try (RecordingH2Server server = new RecordingH2Server();
        CloseableHttpAsyncClient client = HttpAsyncClients.createHttp2Default()) {
      client.start();
      client
          .execute(
              SimpleRequestBuilder.get(server.url("/h2-wire"))
                  .addHeader("alter-grant", "grt_query")
                  .build(),
              null)
          .get(10, TimeUnit.SECONDS);

      assertThat(server.received.get(0).getPath()).endsWith("api_key=" + SECRET);
      String log = Files.readString(LOG);
      assertThat(log).doesNotContain(SECRET).doesNotContain(hex(SECRET.substring(0, 8)));
    }
  }

  @Test
  void valueSplitAcrossTwoChunksIsMaskedInBoth() {
    WireLogRedaction.remember("Bearer sk-split-0123456789");
    byte[] first = "Authorization: Bearer sk-spl".getBytes(StandardCharsets.US_ASCII);
    byte[] second = "it-0123456789\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(
            new String(WireLogRedaction.redact(first, 0, first.length), StandardCharsets.US_ASCII))
        .isEqualTo("Authorization: [REDACTED]");
    assertThat(
            new String(
                WireLogRedaction.redact(second, 0, second.length), StandardCharsets.US_ASCII))
        .isEqualTo("[REDACTED]\r\nHost: x\r\n");
  }

  @Test
  void bytesWithoutAnInjectedValueAreLeftAlone() {
    WireLogRedaction.remember("Bearer sk-other-0123456789");
    byte[] clean = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.wrap(clean);

    assertThat(WireLogRedaction.redact(clean, 0, clean.length)).isNull();
    assertThat(WireLogRedaction.redact(buffer)).isSameAs(buffer);
  }

  @Test
  void queryParameterInjectionRemembersOnlyTheAddedPart() {
    WireLogRedaction.rememberChangedPart("/v1/q?a=b", "/v1/q?a=b&key=qp-secret-value-42");
    byte[] line =
        "GET /v1/q?a=b&key=qp-secret-value-42 HTTP/1.1".getBytes(StandardCharsets.US_ASCII);

    assertThat(new String(WireLogRedaction.redact(line, 0, line.length), StandardCharsets.US_ASCII))
        .isEqualTo("GET /v1/q?a=b[REDACTED] HTTP/1.1");
  }

  private static String hex(String text) {
    StringBuilder sb = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
      sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
