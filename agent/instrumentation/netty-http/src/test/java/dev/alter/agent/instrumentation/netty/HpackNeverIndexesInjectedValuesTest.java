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
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
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
}
