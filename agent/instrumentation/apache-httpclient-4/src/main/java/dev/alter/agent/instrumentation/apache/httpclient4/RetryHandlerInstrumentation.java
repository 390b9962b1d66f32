package dev.alter.agent.instrumentation.apache.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.http.impl.client.DefaultHttpRequestRetryHandler.retryRequest(IOException, int,
 * HttpContext)} (also {@code StandardHttpRequestRetryHandler}, which inherits it): the default
 * handler retries any {@link IOException} it does not know up to three times, so a refusal would be
 * resolved and refused again, and logged at INFO each time. A retry could never go out without its
 * credential (it passes the writer hook again); this only makes the refusal reach the caller at
 * once.
 */
public final class RetryHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.client.DefaultHttpRequestRetryHandler");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RetryHandlerInstrumentation.class,
            "NoRetryAfterRefusalAdvice",
            named("retryRequest").and(takesArguments(3)).and(takesArgument(0, IOException.class))));
  }

  public static final class NoRetryAfterRefusalAdvice {
    private NoRetryAfterRefusalAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) IOException exception, @Advice.Return(readOnly = false) boolean retry) {
      if (retry && exception instanceof AlterCredentialException) {
        retry = false;
      }
    }
  }
}
