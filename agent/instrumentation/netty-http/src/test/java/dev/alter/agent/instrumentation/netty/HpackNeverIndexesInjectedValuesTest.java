package dev.alter.agent.instrumentation.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.SensitiveHeaderValue;
import dev.alter.agent.testing.InstalledInstrumentation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HPACK advice woven into this JVM's real Netty 4.1 encoder: an injected value is written as a
 * literal never indexed (RFC 7541 §6.2.3, first byte {@code 0001xxxx}) every time, while the same
 * header with an ordinary value is indexed as the client's encoder decides.
 */
class HpackNeverIndexesInjectedValuesTest {
  @BeforeAll
  static void weaveAdvice() throws Exception {
    InstalledInstrumentation instrumentation =
        InstalledInstrumentation.of(new NettyHttpInstrumentationModule());
    Class.forName("io.netty.handler.codec.http2.HpackEncoder");
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed).contains("io.netty.handler.codec.http2.HpackEncoder");
  }

  private static byte firstByteOf(DefaultHttp2HeadersEncoder encoder, CharSequence value)
      throws Exception {
    Http2Headers headers = new DefaultHttp2Headers().add("dd-api-key", value);
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.encodeHeaders(3, headers, out);
      return out.getByte(0);
    } finally {
      out.release();
    }
  }

  @Test
  void anInjectedValueIsNeverIndexedEvenWhenRepeated() throws Exception {
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    for (int i = 0; i < 2; i++) {
      byte first = firstByteOf(encoder, new SensitiveHeaderValue("dd0123456789abcdef"));
      assertThat(first & 0xF0).as("block %d: literal never indexed", i).isEqualTo(0x10);
    }
  }

  @Test
  void anOrdinaryValueKeepsTheEncodersIndexing() throws Exception {
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    assertThat(firstByteOf(encoder, "ordinary-value") & 0xC0)
        .as("literal with incremental indexing")
        .isEqualTo(0x40);
    assertThat(firstByteOf(encoder, "ordinary-value") & 0x80)
        .as("then an indexed field")
        .isEqualTo(0x80);
  }

  @Test
  void anInjectedValueKeepsItsMarkThroughTheStreamCodecsConversion() throws Exception {
    // the HTTP/2 stream codec (Reactor Netty) turns the rewritten HttpHeaders into Http2Headers
    HttpHeaders rewritten = new DefaultHttpHeaders();
    rewritten.add("DD-API-KEY", new SensitiveHeaderValue("dd0123456789abcdef"));
    Http2Headers converted = new DefaultHttp2Headers();
    HttpConversionUtil.toHttp2Headers(rewritten, converted);

    ByteBuf out = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder().encodeHeaders(3, converted, out);
      assertThat(out.getByte(0) & 0xF0).as("literal never indexed").isEqualTo(0x10);
    } finally {
      out.release();
    }
  }

  @Test
  void aTaggedBlockThatBypassedTheHooksIsRefusedBeforeAnyFieldIsEncodedAndNamedOnce()
      throws Exception {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel() == Level.WARNING) {
              warnings.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger agentLog = Logger.getLogger("dev.alter.agent");
    agentLog.addHandler(capture);
    try {
      DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
      for (int i = 0; i < 2; i++) {
        Http2Headers tagged =
            new DefaultHttp2Headers()
                .method("GET")
                .path("/v1/x")
                .add("dd-api-key", "ordinary-value")
                .add("alter-grant", "grt_bypass_" + i);
        ByteBuf out = Unpooled.buffer();
        int streamId = 3 + 2 * i;
        try {
          Http2Exception refused = null;
          try {
            encoder.encodeHeaders(streamId, tagged, out);
          } catch (Http2Exception e) {
            refused = e;
          }
          assertThat(refused).as("refused").isNotNull();
          assertThat(refused.error()).isEqualTo(Http2Error.INTERNAL_ERROR);
          assertThat(refused.getMessage()).doesNotContain("grt_bypass");
          assertThat(out.readableBytes()).as("nothing of the block encoded").isZero();
        } finally {
          out.release();
        }
      }
      assertThat(warnings).as("one warning per client").hasSize(1);
      String warning =
          java.text.MessageFormat.format(
              warnings.get(0).getMessage(), warnings.get(0).getParameters());
      assertThat(warning)
          .contains(HpackNeverIndexesInjectedValuesTest.class.getName())
          .doesNotContain("grt_bypass");

      // nothing of the refused blocks entered the dynamic table: the field is new to it
      assertThat(firstByteOf(encoder, "ordinary-value") & 0xC0)
          .as("literal with incremental indexing")
          .isEqualTo(0x40);
    } finally {
      agentLog.removeHandler(capture);
    }
  }
}
