package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.HttpRequest;

/**
 * {@code DefaultHttpRequestRetryStrategy.retryRequest(request, IOException, execCount, context)}
 * treats any plain {@link IOException} on an idempotent request as retriable. A refused tagged
 * request would only be refused again (a retry passes the writer hook too, so it can never go out
 * without its credential), after the retry interval and a second resolve: the refusal is final, so
 * the default strategy reports it at once.
 */
public final class RetryStrategyInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RetryStrategyInstrumentation.class,
            "NoRetryAfterRefusalAdvice",
            named("retryRequest").and(takesArguments(4)).and(takesArgument(1, IOException.class))));
  }

  public static final class NoRetryAfterRefusalAdvice {
    private NoRetryAfterRefusalAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.Argument(0) HttpRequest request,
        @Advice.Argument(1) IOException exception,
        @Advice.Return(readOnly = false) boolean retry) {
      if (retry
          && request != null
          && (exception instanceof AlterCredentialException
              || exception != null && exception.getCause() instanceof AlterCredentialException)
          && (request.containsHeader(AlterBridge.GRANT_HEADER)
              || request.containsHeader(AlterBridge.IDENTITY_HEADER))) {
        retry = false;
      }
    }
  }
}
