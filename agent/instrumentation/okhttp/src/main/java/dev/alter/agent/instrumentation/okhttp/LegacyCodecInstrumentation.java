package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * OkHttp 3.5 to 3.13, before {@code Exchange} existed: {@code writeRequestHeaders(Request)} of
 * {@code okhttp3.internal.http1.Http1Codec} and {@code okhttp3.internal.http2.Http2Codec}, which
 * {@code CallServerInterceptor} calls directly (after {@code EventListener.requestHeadersStart}
 * from 3.9 on, and with the original request for {@code requestHeadersEnd}). Deciding and swapping
 * happen in the same method here: in these releases a failure thrown by the codec leaves {@code
 * CallServerInterceptor} at once, and {@link RetryInstrumentation} keeps it from being retried.
 * Both are the newer releases' advice: {@link ExchangeInstrumentation}'s decision, woven first so
 * that it runs outermost, then {@link ExchangeCodecInstrumentation}'s swap. A codec serves one hop,
 * so it is also what the usage counters match the response to.
 */
public final class LegacyCodecInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("okhttp3.internal.http1.Http1Codec", "okhttp3.internal.http2.Http2Codec");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    ElementMatcher<MethodDescription> writeRequestHeaders = hookedMethods();
    return builder
        .visit(
            AdviceFromClassFile.on(
                ExchangeInstrumentation.class, "PrepareRewriteAdvice", writeRequestHeaders))
        .visit(
            AdviceFromClassFile.on(
                ExchangeCodecInstrumentation.class, "SwapRequestAdvice", writeRequestHeaders))
        .visit(
            AdviceFromClassFile.on(
                LegacyCodecInstrumentation.class,
                "ResponseStatusAdvice",
                named("readResponseHeaders").and(takesArguments(0).or(takesArguments(1)))));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("writeRequestHeaders")
        .and(takesArguments(1))
        .and(takesArgument(0, named("okhttp3.Request")));
  }

  /**
   * {@code readResponseHeaders()} (3.5–3.10) / {@code readResponseHeaders(boolean)}: the response
   * head just read (null for a 100 Continue the caller waits past). {@code Response.Builder} has no
   * public status getter in these releases, so its {@code code} field is read, and only for a codec
   * that sent an injected request.
   */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object codec, @Advice.Return Object builder)
        throws ReflectiveOperationException {
      if (builder != null && AwaitedResponses.awaits(codec)) {
        java.lang.reflect.Field code = builder.getClass().getDeclaredField("code");
        code.setAccessible(true);
        AwaitedResponses.responded(codec, code.getInt(builder));
      }
    }
  }
}
