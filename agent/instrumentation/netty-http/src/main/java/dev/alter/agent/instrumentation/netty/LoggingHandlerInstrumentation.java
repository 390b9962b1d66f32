package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code format(ctx, eventName, msg)} of Netty's {@code LoggingHandler} and of Reactor Netty's
 * {@code ReactorNettyLoggingHandler} ({@code HttpClient.wiretap}, which formats as text or hex
 * itself): for the bytes of a write that carries an injected value, the logger formats a masked
 * copy, while the channel still writes the original. Handlers placed before the codec see the
 * application's own request, which never holds the credential.
 */
public final class LoggingHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "io.netty.handler.logging.LoggingHandler",
        "reactor.netty.transport.logging.ReactorNettyLoggingHandler");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            LoggingHandlerInstrumentation.class,
            "MaskLoggedBytesAdvice",
            named("format").and(takesArguments(3)).and(takesArgument(1, String.class))));
  }

  /** Inlined into Netty and Reactor Netty: JDK, Netty and bootstrap classes only. */
  public static final class MaskLoggedBytesAdvice {
    private MaskLoggedBytesAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 2, readOnly = false) Object msg) {
      if (!(msg instanceof ByteBuf) || WireLogRedaction.isEmpty()) {
        return;
      }
      ByteBuf bytes = (ByteBuf) msg;
      if (bytes.readableBytes() == 0) {
        return;
      }
      byte[] masked =
          WireLogRedaction.redact(ByteBufUtil.getBytes(bytes), 0, bytes.readableBytes());
      if (masked != null) {
        msg = Unpooled.wrappedBuffer(masked);
      }
    }
  }
}
