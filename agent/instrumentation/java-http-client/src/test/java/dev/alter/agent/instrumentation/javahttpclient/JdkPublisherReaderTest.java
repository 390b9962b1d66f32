package dev.alter.agent.instrumentation.javahttpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.contract.aws.SigV4Signer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's own publishers that produce the same bytes for every subscriber are hashed by a second
 * subscription; publishers that may not are never subscribed twice.
 */
class JdkPublisherReaderTest {
  private static final int LIMIT = 64 * 1024;
  private static final byte[] CONTENT =
      "{\"TableName\":\"orders\",\"Key\":{\"id\":{\"S\":\"é 1\"}}}"
          .getBytes(StandardCharsets.UTF_8);
  private static final String CONTENT_SHA = SigV4Signer.sha256Hex(CONTENT);

  private final JdkPublisherReader reader = new JdkPublisherReader(5_000);

  @Test
  void ofStringOfByteArrayNoBodyAndOfFileAreHashed(@TempDir Path dir) throws Exception {
    assertThat(
            reader.sha256Hex(
                HttpRequest.BodyPublishers.ofString(new String(CONTENT, StandardCharsets.UTF_8)),
                LIMIT))
        .isEqualTo(CONTENT_SHA);
    assertThat(reader.sha256Hex(HttpRequest.BodyPublishers.ofByteArray(CONTENT), LIMIT))
        .isEqualTo(CONTENT_SHA);
    byte[] padded = new byte[CONTENT.length + 7];
    System.arraycopy(CONTENT, 0, padded, 3, CONTENT.length);
    assertThat(
            reader.sha256Hex(
                HttpRequest.BodyPublishers.ofByteArray(padded, 3, CONTENT.length), LIMIT))
        .isEqualTo(CONTENT_SHA);
    assertThat(reader.sha256Hex(HttpRequest.BodyPublishers.noBody(), LIMIT))
        .isEqualTo(SigV4Signer.EMPTY_PAYLOAD_SHA256);
    Path file = Files.write(dir.resolve("item.json"), CONTENT);
    assertThat(reader.sha256Hex(HttpRequest.BodyPublishers.ofFile(file), LIMIT))
        .isEqualTo(CONTENT_SHA);
  }

  @Test
  void ofInputStreamFromPublisherAndOfByteArraysAreNeverSubscribedTwice() {
    assertOneShot(
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(CONTENT)));
    SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>();
    assertOneShot(HttpRequest.BodyPublishers.fromPublisher(publisher, CONTENT.length));
    publisher.close();
    assertOneShot(HttpRequest.BodyPublishers.ofByteArrays(List.of(CONTENT)));
  }

  @Test
  void aPublisherOverTheLimitIsNeverRead() {
    assertThatThrownBy(
            () ->
                reader.sha256Hex(
                    HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT * 2]), LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("over the 64 KiB signing limit");
  }

  private void assertOneShot(HttpRequest.BodyPublisher publisher) {
    assertThatThrownBy(() -> reader.sha256Hex(publisher, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("one-shot");
  }
}
