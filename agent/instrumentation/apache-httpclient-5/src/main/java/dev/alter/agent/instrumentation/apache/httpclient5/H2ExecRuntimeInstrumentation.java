package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.alter.agent.bootstrap.UnsentStream;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.async.AsyncExecRuntime;

/**
 * {@code InternalH2AsyncExecRuntime}, the HTTP/2 client's hold on the shared connection for one
 * exchange: when an exchange fails, HttpAsyncClient marks the connection non-reusable and discards
 * it (a graceful close: streams already sent finish, queued ones fail). For a request refused
 * before its stream sent anything ({@link H2StreamChannelInstrumentation}) the connection is
 * untouched, so while the refusal is being reported the exchange lets go of the connection as a
 * completed one does and the connection goes on serving its other streams.
 */
public final class H2ExecRuntimeInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.async.InternalH2AsyncExecRuntime");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                H2ExecRuntimeInstrumentation.class,
                "KeepReusableAdvice",
                named("markConnectionNonReusable").and(takesNoArguments())))
        .visit(
            AdviceFromClassFile.on(
                H2ExecRuntimeInstrumentation.class,
                "ReleaseInsteadOfDiscardAdvice",
                named("discardEndpoint").and(takesNoArguments())));
  }

  /** Inlined into HttpClient: JDK, HttpClient and bootstrap classes only. */
  public static final class KeepReusableAdvice {
    private KeepReusableAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter() {
      return UnsentStream.isReporting();
    }
  }

  /** Inlined into HttpClient: JDK, HttpClient and bootstrap classes only. */
  public static final class ReleaseInsteadOfDiscardAdvice {
    private ReleaseInsteadOfDiscardAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(@Advice.This AsyncExecRuntime runtime) {
      if (!UnsentStream.isReporting()) {
        return false;
      }
      runtime.releaseEndpoint();
      return true;
    }
  }
}
