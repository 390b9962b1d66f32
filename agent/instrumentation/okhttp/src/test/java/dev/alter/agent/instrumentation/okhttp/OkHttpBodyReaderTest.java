package dev.alter.agent.instrumentation.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.contract.aws.SigV4Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.junit.jupiter.api.Test;

/**
 * OkHttp request bodies are hashed for signing through OkHttp's own API when they can be written
 * again, and never read when they are one-shot or over the limit.
 */
class OkHttpBodyReaderTest {
  private static final int LIMIT = 64 * 1024;
  private static final byte[] CONTENT =
      "{\"TableName\":\"orders\",\"Key\":{\"id\":{\"S\":\"é 1\"}}}"
          .getBytes(StandardCharsets.UTF_8);

  private final OkHttpBodyReader reader = new OkHttpBodyReader();

  @Test
  void repeatableBodyIsHashedAndStillSendsTheSameBytes() throws Exception {
    RequestBody body = RequestBody.create(CONTENT, MediaType.get("application/json"));

    assertThat(reader.sha256Hex(body, LIMIT)).isEqualTo(SigV4Signer.sha256Hex(CONTENT));

    okio.Buffer sent = new okio.Buffer();
    body.writeTo(sent);
    assertThat(sent.readByteArray()).as("the client still sends the whole body").isEqualTo(CONTENT);
  }

  @Test
  void repeatableBodyOfUnknownLengthIsHashedByStreaming() throws Exception {
    assertThat(reader.sha256Hex(new ChunkyBody(CONTENT, false), LIMIT))
        .isEqualTo(SigV4Signer.sha256Hex(CONTENT));
  }

  @Test
  void oneShotBodyIsNeverRead() {
    assertThatThrownBy(() -> reader.sha256Hex(new ChunkyBody(CONTENT, true), LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("one-shot");
  }

  @Test
  void bodyOverTheLimitIsNeverRead() {
    assertThatThrownBy(() -> reader.sha256Hex(RequestBody.create(new byte[LIMIT * 2], null), LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("the body is 128 KiB, over the 64 KiB signing limit");
  }

  @Test
  void bodyOfUnknownLengthStopsBeingReadAtTheLimit() {
    EndlessBody endless = new EndlessBody();

    assertThatThrownBy(() -> reader.sha256Hex(endless, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("longer than the 64 KiB signing limit");
    // one okio segment (8 KiB) of slack at most: never read on and buffered
    assertThat(endless.written.get()).isLessThanOrEqualTo(LIMIT + 16 * 1024);
  }

  @Test
  void anObjectOfAnotherClientIsRefused() {
    assertThatThrownBy(() -> reader.sha256Hex("not a body", LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessageContaining("not an okhttp3.RequestBody");
  }

  /** A body of unknown length written in small pieces; optionally one-shot. */
  private static final class ChunkyBody extends RequestBody {
    private final byte[] content;
    private final boolean oneShot;

    ChunkyBody(byte[] content, boolean oneShot) {
      this.content = content;
      this.oneShot = oneShot;
    }

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public long contentLength() {
      return -1;
    }

    @Override
    public boolean isOneShot() {
      return oneShot;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      for (int i = 0; i < content.length; i += 7) {
        sink.write(content, i, Math.min(7, content.length - i));
        sink.emit();
      }
    }
  }

  /** Claims to be repeatable but never ends: the reader must stop at the limit. */
  private static final class EndlessBody extends RequestBody {
    final AtomicLong written = new AtomicLong();

    @Override
    public MediaType contentType() {
      return null;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      byte[] chunk = new byte[1024];
      while (written.get() < 1L << 30) {
        sink.write(chunk);
        sink.emit();
        written.addAndGet(chunk.length);
      }
    }
  }
}
