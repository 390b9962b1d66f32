package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The HTTP/1.1 response side: {@code HttpObjectDecoder.decode(ctx, buffer, out)} adds each response
 * head it parsed to {@code out}, on the channel whose encoder wrote the request; tells the usage
 * counters what the provider answered an injected request. With nothing awaited (every untagged
 * exchange) the advice returns after one emptiness check.
 */
public final class ResponseDecoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http.HttpObjectDecoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            ResponseDecoderInstrumentation.class,
            "ResponseStatusAdvice",
            named("decode").and(takesArguments(3))));
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(2) List<Object> out) {
      if (!AwaitedResponses.anyAwaited() || out == null || ctx == null) {
        return;
      }
      for (int i = 0; i < out.size(); i++) {
        Object decoded = out.get(i);
        if (decoded instanceof HttpResponse) {
          AwaitedResponses.responded(ctx.channel(), ((HttpResponse) decoded).status().code());
        }
      }
    }
  }
}
