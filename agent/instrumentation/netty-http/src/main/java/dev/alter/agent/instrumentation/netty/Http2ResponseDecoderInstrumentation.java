package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The HTTP/2 response side: {@code Http2StreamFrameToHttpObjectCodec.decode(ctx, frame, out)} turns
 * a stream's HEADERS frame into the {@code HttpResponse} it adds to {@code out}, on the stream
 * channel whose write of the request {@link Http2StreamCodecInstrumentation} decided. The same
 * advice as {@link ResponseDecoderInstrumentation}'s tells the usage counters the status.
 */
public final class Http2ResponseDecoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            ResponseDecoderInstrumentation.class,
            "ResponseStatusAdvice",
            named("decode").and(takesArguments(3)).and(not(isBridge()))));
  }
}
