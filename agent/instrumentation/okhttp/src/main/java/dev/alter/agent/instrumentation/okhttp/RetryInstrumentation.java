package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code okhttp3.internal.http.RetryAndFollowUpInterceptor.recover(IOException, …)} (private, its
 * other parameters differ between 3.5, 3.14, 4.x and 5.x): a refused request is never retried.
 *
 * <p>OkHttp treats an unknown {@code IOException} as recoverable and retries it on another route or
 * connection. Each retry would pass the hook again and be refused again (nothing is ever sent), but
 * it would dial again and ask the resolver again for nothing. From 3.14 on the refusal comes before
 * OkHttp records a stream failure, so {@code recover} already answers false; in 3.5 to 3.13 it does
 * not, and this is what stops the retry.
 */
public final class RetryInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("okhttp3.internal.http.RetryAndFollowUpInterceptor");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RetryInstrumentation.class,
            "NoRetryAfterRefusalAdvice",
            named("recover")
                .and(takesArgument(0, named("java.io.IOException")))
                .and(returns(boolean.class))));
  }

  /** Inlined into OkHttp: JDK and bootstrap classes only. */
  public static final class NoRetryAfterRefusalAdvice {
    private NoRetryAfterRefusalAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) IOException failure,
        @Advice.Return(readOnly = false) boolean recoverable) {
      if (failure instanceof AlterCredentialException) {
        recoverable = false;
      }
    }
  }
}
