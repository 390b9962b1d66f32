package dev.alter.agent.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.JettyExchanges;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpReceiver.responseHeaders(HttpExchange)} of Jetty 11 and 12, shared by the HTTP/1.1 and
 * HTTP/2 receivers: the response's status is set and its headers parsed. Tells the usage counters
 * what the provider answered an injected request ({@link JettyExchanges#beforeHeaders} marked the
 * exchange); an untagged response costs one map lookup at most.
 */
public final class ResponseHeadersInstrumentation implements TypeInstrumentation {
  static final String JETTY_12_RECEIVER = "org.eclipse.jetty.client.transport.HttpReceiver";
  static final String JETTY_11_RECEIVER = "org.eclipse.jetty.client.HttpReceiver";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(JETTY_12_RECEIVER, JETTY_11_RECEIVER);
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("responseHeaders").and(takesArguments(1));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            ResponseHeadersInstrumentation.class, "ResponseStatusAdvice", hookedMethods()));
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object exchange) {
      // only this exchange's own mark lets the reflective status read happen: untagged responses
      // stay cheap while other injected requests are in flight
      if (AwaitedResponses.awaits(exchange)) {
        JettyExchanges.responded(exchange);
      }
    }
  }
}
