package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.MessageToMessageCodec.write(ctx, msg, promise)}, for Netty's HTTP/2
 * stream codec {@code Http2StreamFrameToHttpObjectCodec} (which inherits it): Reactor Netty's
 * HTTP/2 streams turn each {@code HttpRequest} into a HEADERS frame there. The advice of {@link
 * RequestEncoderInstrumentation} acts only for codecs of {@code io.netty.handler.codec.http2}; for
 * every other codec it costs one empty-map check per write. Woven only where that codec is visible,
 * so the advice's HTTP types always resolve.
 */
public final class Http2StreamCodecInstrumentation implements TypeInstrumentation {
  private static final String HTTP2_CODEC =
      "io/netty/handler/codec/http2/Http2StreamFrameToHttpObjectCodec.class";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.MessageToMessageCodec");
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return loader -> loader != null && loader.getResource(HTTP2_CODEC) != null;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(RequestEncoderInstrumentation.writeAdvice());
  }
}
