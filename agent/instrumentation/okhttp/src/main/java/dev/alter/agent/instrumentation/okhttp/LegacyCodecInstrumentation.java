package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
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
 * that it runs outermost, then {@link ExchangeCodecInstrumentation}'s swap.
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
                ExchangeCodecInstrumentation.class, "SwapRequestAdvice", writeRequestHeaders));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("writeRequestHeaders")
        .and(takesArguments(1))
        .and(takesArgument(0, named("okhttp3.Request")));
  }
}
