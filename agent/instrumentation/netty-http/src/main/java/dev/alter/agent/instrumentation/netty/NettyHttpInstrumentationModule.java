package dev.alter.agent.instrumentation.netty;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * Netty's HTTP client codecs, and so every client that writes Netty {@code HttpRequest} objects:
 * Reactor Netty's {@code HttpClient} (Spring {@code WebClient}, {@code
 * ReactorClientHttpRequestFactory}) over HTTP/1.1 and HTTP/2, and AsyncHttpClient over HTTP/1.1.
 *
 * <p>{@link RequestEncoderInstrumentation} takes each request where Netty's HTTP/1.1 encoder or its
 * HTTP/2 stream codec receives it, after every handler and filter of the client, and writes a
 * rewritten copy; a request whose credential is not cached is held, with the writes behind it,
 * until the resolve ends off the event loop; {@link Http2StreamCodecInstrumentation} weaves the
 * same advice into the HTTP/2 stream codec. {@link LoggingHandlerInstrumentation} and {@link
 * Http2FrameLoggerInstrumentation} mask injected values in what Netty's {@code LoggingHandler},
 * Reactor Netty's {@code wiretap} and Netty's HTTP/2 frame logger log. {@link
 * Http2HeadersGuardInstrumentation} fails a tagged request that a client writes as HTTP/2 headers
 * without those codecs, so no unhooked Netty client sends {@code alter-grant} unnoticed.
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
        new Http2HeadersGuardInstrumentation());
  }
}
