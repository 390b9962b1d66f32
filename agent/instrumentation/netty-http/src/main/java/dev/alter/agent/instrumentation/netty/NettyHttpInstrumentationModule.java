package dev.alter.agent.instrumentation.netty;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * Netty's HTTP client codecs, and so every client that writes Netty {@code HttpRequest} objects:
 * Reactor Netty's {@code HttpClient} (Spring {@code WebClient}, {@code
 * ReactorClientHttpRequestFactory}) over HTTP/1.1 and HTTP/2, AsyncHttpClient and the Vert.x client
 * over HTTP/1.1 and HTTP/2.
 *
 * <p>{@link RequestEncoderInstrumentation} takes each request where Netty's HTTP/1.1 encoder or its
 * HTTP/2 stream codec receives it, after every handler and filter of the client, and writes a
 * rewritten copy; a request whose credential is not cached is held, with the writes behind it,
 * until the resolve ends off the event loop; {@link Http2StreamCodecInstrumentation} weaves the
 * same advice into the HTTP/2 stream codec. {@link LoggingHandlerInstrumentation} and {@link
 * Http2FrameLoggerInstrumentation} mask injected values in what Netty's {@code LoggingHandler},
 * Reactor Netty's {@code wiretap} and Netty's HTTP/2 frame logger log. Clients that build HTTP/2
 * headers themselves are rewritten where their header blocks leave: {@link
 * Http2StreamChannelInstrumentation} where a stream channel hands a HEADERS frame to the connection
 * (AsyncHttpClient), {@link Http2ConnectionEncoderInstrumentation} at the connection encoder (the
 * Vert.x HTTP/2 client, and the last point for any other); {@link HpackEncoderInstrumentation}
 * encodes injected values as never indexed.
 */
public final class NettyHttpInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "netty";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new RequestEncoderInstrumentation(),
        new ResponseDecoderInstrumentation(),
        new Http2ResponseDecoderInstrumentation(),
        new Http2StreamCodecInstrumentation(),
        new LoggingHandlerInstrumentation(),
        new Http2FrameLoggerInstrumentation(),
        new Http2StreamChannelInstrumentation(),
        new Http2ConnectionEncoderInstrumentation(),
        new HpackEncoderInstrumentation());
  }
}
