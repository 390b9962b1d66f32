package dev.alter.agent.instrumentation.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.contract.Hex;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;

/**
 * The reader against Jetty 12's own contents: bytes and string contents hash to their bytes'
 * SHA-256 and are then read by Jetty exactly as before; a stream is never touched; the limit is the
 * classic path's.
 */
class JettyContentReaderTest {
  private static final long LIMIT = 8L * 1024 * 1024;
  private final JettyContentReader reader = new JettyContentReader();

  @Test
  void bytesContentIsHashedAndStillSendsItsWholeBody() throws Exception {
    byte[] first = "Action=SendMessage&".getBytes(StandardCharsets.UTF_8);
    byte[] second = "MessageBody=hi".getBytes(StandardCharsets.UTF_8);
    BytesRequestContent content =
        new BytesRequestContent("application/x-www-form-urlencoded", first, second);

    assertThat(reader.sha256Hex(content, LIMIT))
        .isEqualTo(sha256("Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8)));
    assertThat(reader.contentLength(content)).isEqualTo(first.length + second.length);
    assertThat(Content.Source.asString(content)).isEqualTo("Action=SendMessage&MessageBody=hi");
  }

  @Test
  void stringContentHalfReadByJettyIsStillHashedWhole() throws Exception {
    String text = "gr\u00fc\u00dfe \u2603";
    StringRequestContent content = new StringRequestContent("text/plain", text);
    Content.Chunk alreadyRead = content.read();
    alreadyRead.release();

    assertThat(reader.sha256Hex(content, LIMIT))
        .isEqualTo(sha256(text.getBytes(StandardCharsets.UTF_8)));
    assertThat(content.rewind()).isTrue();
    assertThat(Content.Source.asString(content)).isEqualTo(text);
  }

  @Test
  void streamContentIsNotRead() throws Exception {
    ByteArrayInputStream stream = new ByteArrayInputStream(new byte[100]);
    InputStreamRequestContent content = new InputStreamRequestContent(stream);

    assertThatThrownBy(() -> reader.sha256Hex(content, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage(
            "the body is a Jetty content the agent does not read ahead of sending"
                + " (InputStreamRequestContent; bytes, string and form contents are read)");
    assertThat(stream.available()).isEqualTo(100);
  }

  @Test
  void contentOverTheLimitIsRefusedBeforeReading() {
    BytesRequestContent content = new BytesRequestContent(new byte[2048]);

    assertThatThrownBy(() -> reader.sha256Hex(content, 1024))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage("the body is 2 KiB, over the 1 KiB signing limit");
  }

  @Test
  void notAContentIsRefused() {
    assertThatThrownBy(() -> reader.sha256Hex("a string", LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage("the body is not a Jetty Request.Content");
    assertThat(reader.contentLength("a string")).isEqualTo(-1);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
