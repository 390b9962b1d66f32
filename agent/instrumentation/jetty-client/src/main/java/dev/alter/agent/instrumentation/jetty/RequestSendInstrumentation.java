package dev.alter.agent.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.JettyExchanges;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The public {@code send} methods of Jetty's {@code HttpRequest} (11 and 12): a tagged request on a
 * Jetty whose sender and header-block hooks are not woven (a release with other internals, or a
 * weave failure) fails here with {@code client_not_supported}, before it is queued. The exception
 * is an {@link IOException} thrown from methods that do not all declare one.
 */
public final class RequestSendInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "org.eclipse.jetty.client.transport.HttpRequest", "org.eclipse.jetty.client.HttpRequest");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RequestSendInstrumentation.class, "RequireHooksAdvice", isPublic().and(named("send"))));
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class RequireHooksAdvice {
    private RequireHooksAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.This Object request, @Advice.Origin Class<?> type)
        throws IOException {
      String grant = JettyExchanges.grantOf(request);
      if (grant != null) {
        AlterBridge.requireHooks("jetty-client", type, grant);
      }
    }
  }
}
