package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
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
 * {@code HttpClientImpl.send} re-wraps any asynchronous {@link IOException} in a plain {@code
 * IOException} with the same message. For a request Alter refused, the application should catch
 * Alter's own type (with {@code code()} and {@code grantId()}), so the exit advice throws the
 * original instead of the wrapper.
 */
public final class HttpClientImplInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.HttpClientImpl");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            HttpClientImplInstrumentation.class,
            "SendAdvice",
            named("send").and(takesArguments(2))));
  }

  /** Inlined into {@code HttpClientImpl}: JDK types and the bridge only. */
  public static final class SendAdvice {
    private SendAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Thrown(readOnly = false) Throwable thrown) {
      if (thrown != null
          && thrown.getClass() == IOException.class
          && thrown.getCause() instanceof AlterCredentialException) {
        thrown = thrown.getCause();
      }
    }
  }
}
