package dev.alter.agent.instrumentation.apache.httpclient5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.contract.Hex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.FileEntityProducer;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader against HttpCore's own producers: a repeatable body hashes to its bytes' SHA-256 and
 * is afterwards sent exactly as before (produced into a channel that takes only part of each write,
 * as a socket does); a one-shot producer is never touched; the limit and a stalling producer are
 * refused in the classic path's words.
 */
class AsyncEntityProducerReaderTest {
  private static final long LIMIT = 8L * 1024 * 1024;
  private final AsyncEntityProducerReader reader = new AsyncEntityProducerReader();

  @Test
  void byteArrayProducerIsHashedAndStillSendsItsWholeBody() throws Exception {
    byte[] body = "Action=SendMessage&MessageBody=hi".getBytes(StandardCharsets.UTF_8);
    BasicAsyncEntityProducer producer =
        new BasicAsyncEntityProducer(body, ContentType.APPLICATION_FORM_URLENCODED);

    assertThat(reader.sha256Hex(producer, LIMIT)).isEqualTo(sha256(body));
    // the declared length is not held to on HTTP/2: a grant's max_body_bytes goes by the framing
    assertThat(reader.contentLength(producer)).isEqualTo(-1);
    assertThat(send(producer)).isEqualTo(body);
  }

  @Test
  void textProducersOfSeveralBuffersAreHashedAsTheirEncodedBytes() throws Exception {
    String text = "gr\u00fc\u00dfe \u2603 ".repeat(3000); // multi-byte UTF-8, > 4 KiB buffers
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    AsyncEntityProducer string = new StringAsyncEntityProducer(text, ContentType.APPLICATION_JSON);
    AsyncEntityProducer basic = AsyncEntityProducers.create(text, ContentType.APPLICATION_JSON);

    assertThat(reader.sha256Hex(string, LIMIT)).isEqualTo(sha256(utf8));
    assertThat(send(string)).isEqualTo(utf8);
    // HttpCore 5.2.2+ rewinds a text-built BasicAsyncEntityProducer to its length (HTTPCORE-733)
    assertThat(reader.sha256Hex(basic, LIMIT)).isEqualTo(sha256(utf8));
    assertThat(send(basic)).isEqualTo(utf8);
  }

  @Test
  void hashingTwiceGivesTheSameDigest() throws Exception {
    AsyncEntityProducer producer = new StringAsyncEntityProducer("x".repeat(10_000));
    String first = reader.sha256Hex(producer, LIMIT);

    assertThat(reader.sha256Hex(producer, LIMIT)).isEqualTo(first);
    assertThat(send(producer)).hasSize(10_000);
  }

  @Test
  void fileProducerIsHashedAndReopenedForSending(@TempDir Path dir) throws Exception {
    byte[] content = new byte[100_003];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    Path file = Files.write(dir.resolve("object.bin"), content);
    FileEntityProducer producer =
        new FileEntityProducer(file.toFile(), ContentType.APPLICATION_OCTET_STREAM);

    assertThat(reader.sha256Hex(producer, LIMIT)).isEqualTo(sha256(content));
    assertThat(send(producer)).isEqualTo(content);
  }

  @Test
  void oneShotProducerIsRefusedWithoutBeingProduced() {
    AtomicInteger produced = new AtomicInteger();
    AsyncEntityProducer oneShot =
        AsyncEntityProducers.createBinary(
            channel -> {
              produced.incrementAndGet();
              try {
                channel.endStream();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            ContentType.APPLICATION_OCTET_STREAM);

    assertThatThrownBy(() -> reader.sha256Hex(oneShot, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage(
            "the body is a one-shot stream (Apache HttpClient 5 async entity producer is not"
                + " repeatable)");
    assertThat(produced).hasValue(0);
  }

  @Test
  void declaredLengthOverTheLimitIsRefusedBeforeReading() throws Exception {
    byte[] body = new byte[2048];
    BasicAsyncEntityProducer producer = new BasicAsyncEntityProducer(body);

    assertThatThrownBy(() -> reader.sha256Hex(producer, 1024))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage("the body is 2 KiB, over the 1 KiB signing limit");
    assertThat(send(producer)).isEqualTo(body);
  }

  @Test
  void undeclaredLengthOverTheLimitStopsReadingAndIsRewound() throws Exception {
    String text = "y".repeat(20_000);
    AsyncEntityProducer producer = new StringAsyncEntityProducer(text);

    assertThatThrownBy(() -> reader.sha256Hex(producer, 4096))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage("the body is longer than the 4 KiB signing limit")
        .satisfies(e -> assertThat(((BodyNotHashable) e).bodyUnsendable()).isFalse());
    assertThat(send(producer)).isEqualTo(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void repeatableProducerThatWaitsForDataIsNotWaitedFor() {
    StallingProducer stalling = new StallingProducer(false);

    assertThatThrownBy(() -> reader.sha256Hex(stalling, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage(
            "the Apache HttpClient 5 async entity producer did not hand over its whole body at"
                + " once");
    assertThat(stalling.produceCalls).isEqualTo(3);
    assertThat(stalling.released).isEqualTo(1);
  }

  @Test
  void producerThatCannotBeRewoundMakesTheBodyUnsendable() {
    StallingProducer unrewindable = new StallingProducer(true);

    assertThatThrownBy(() -> reader.sha256Hex(unrewindable, LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage(
            "the Apache HttpClient 5 async entity producer could not be rewound after it was read"
                + " (IllegalStateException)")
        .satisfies(e -> assertThat(((BodyNotHashable) e).bodyUnsendable()).isTrue());
  }

  @Test
  void notAProducerIsRefused() {
    assertThatThrownBy(() -> reader.sha256Hex("a string", LIMIT))
        .isInstanceOf(BodyNotHashable.class)
        .hasMessage("the body is not an HttpCore 5 AsyncEntityProducer");
    assertThat(reader.contentLength("a string")).isEqualTo(-1);
  }

  @Test
  void httpCoreReleasesBefore522AreNotRead() {
    assertThat(AsyncEntityProducerReader.replayProblem("5.1.5"))
        .isEqualTo(
            "HttpCore 5.1.5 cannot replay every async body it has produced (HTTPCORE-733, fixed in"
                + " 5.2.2), so the body is not read ahead of sending");
    assertThat(AsyncEntityProducerReader.replayProblem("5.2.1")).isNotNull();
    assertThat(AsyncEntityProducerReader.replayProblem("5.2-beta2")).isNotNull();
    assertThat(AsyncEntityProducerReader.replayProblem("4.4.16")).isNotNull();
    assertThat(AsyncEntityProducerReader.replayProblem(null))
        .isEqualTo(
            "the HttpCore 5 version could not be told, so the body is not read ahead of sending");
    assertThat(AsyncEntityProducerReader.replayProblem("5.2.2")).isNull();
    assertThat(AsyncEntityProducerReader.replayProblem("5.3-alpha1")).isNull();
    assertThat(AsyncEntityProducerReader.replayProblem("5.4.4")).isNull();
    assertThat(AsyncEntityProducerReader.replayProblem("6.0")).isNull();
  }

  /**
   * Produces as HttpCore's stream handlers do: repeated {@code produce} calls into a channel that
   * takes at most 1000 bytes per write, until the producer ends the stream.
   */
  private static byte[] send(AsyncEntityProducer producer) throws IOException {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    boolean[] ended = {false};
    DataStreamChannel socket =
        new DataStreamChannel() {
          @Override
          public void requestOutput() {}

          @Override
          public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), 1000);
            for (int i = 0; i < n; i++) {
              sent.write(src.get());
            }
            return n;
          }

          @Override
          public void endStream(List<? extends Header> trailers) {
            ended[0] = true;
          }

          @Override
          public void endStream() {
            ended[0] = true;
          }
        };
    for (int calls = 0; !ended[0]; calls++) {
      assertThat(calls).as("produce calls").isLessThan(100_000);
      producer.produce(socket);
    }
    producer.releaseResources();
    return sent.toByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Repeatable, but never has data at hand; optionally fails to release. */
  private static final class StallingProducer implements AsyncEntityProducer {
    private final boolean failRelease;
    int produceCalls;
    int released;

    StallingProducer(boolean failRelease) {
      this.failRelease = failRelease;
    }

    @Override
    public boolean isRepeatable() {
      return true;
    }

    @Override
    public void failed(Exception cause) {}

    @Override
    public long getContentLength() {
      return -1;
    }

    @Override
    public String getContentType() {
      return null;
    }

    @Override
    public String getContentEncoding() {
      return null;
    }

    @Override
    public boolean isChunked() {
      return true;
    }

    @Override
    public java.util.Set<String> getTrailerNames() {
      return null;
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public void produce(DataStreamChannel channel) {
      produceCalls++;
    }

    @Override
    public void releaseResources() {
      released++;
      if (failRelease) {
        throw new IllegalStateException("cannot reopen");
      }
    }
  }
}
