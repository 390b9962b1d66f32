package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpClientImpl}, the JDK's one implementation of {@code HttpClient}.
 *
 * <p>Its private {@code sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)} is where
 * {@code send} and both public {@code sendAsync} go: a tagged request on a JDK whose header hooks
 * are not woven (internals that differ, or a weave failure) gets a failed future with {@code
 * client_not_supported} there, before an exchange exists.
 *
 * <p>{@code send} re-wraps any asynchronous {@link IOException} in a plain {@code IOException} with
 * the same message. For a request Alter refused, the application should catch Alter's own type
 * (with {@code code()} and {@code grantId()}), so the exit advice throws the original instead of
 * the wrapper.
 */
public final class HttpClientImplInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "java-http-client";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.HttpClientImpl");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                HttpClientImplInstrumentation.class,
                "RequireHooksAdvice",
                isPrivate()
                    .and(named("sendAsync"))
                    .and(takesArguments(4))
                    .and(takesArgument(0, named("java.net.http.HttpRequest")))))
        .visit(
            AdviceFromClassFile.on(
                HttpClientImplInstrumentation.class,
                "SendAdvice",
                named("send").and(takesArguments(2))));
  }

  /**
   * Inlined into {@code HttpClientImpl}: JDK types and the bridge only; the refusal is held as an
   * {@link IOException} (see {@link Http2StreamInstrumentation}).
   */
  public static final class RequireHooksAdvice {
    private RequireHooksAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Origin Class<?> client) {
      if (request == null) {
        return null;
      }
      String grant = request.headers().firstValue(AlterBridge.GRANT_HEADER).orElse(null);
      if (grant == null) {
        return null;
      }
      try {
        AlterBridge.requireHooks("java-http-client", client, grant);
        return null;
      } catch (IOException refused) {
        return refused;
      }
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter Object refused,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future) {
      if (refused != null) {
        future = CompletableFuture.failedFuture((Throwable) refused);
      }
    }
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
