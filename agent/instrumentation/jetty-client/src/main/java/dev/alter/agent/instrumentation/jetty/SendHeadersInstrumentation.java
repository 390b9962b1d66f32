package dev.alter.agent.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.JettyExchanges;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sendHeaders(exchange, content, last, callback)} of Jetty's HTTP/1.1 and HTTP/2 request
 * senders (11 and 12): the request has its connection, Jetty has normalized its headers, and the
 * header block is about to be generated. A tagged request is bound to the origin that connection
 * dialled; its header write goes ahead with the rewrite at hand, is postponed until the resolve
 * ends (called again on the client's executor, never waited for on a selector), or is refused by
 * failing Jetty's callback, so nothing is written.
 */
public final class SendHeadersInstrumentation implements TypeInstrumentation {
  static final String JETTY_12_HTTP11 =
      "org.eclipse.jetty.client.transport.internal.HttpSenderOverHTTP";
  static final String JETTY_12_HTTP2 =
      "org.eclipse.jetty.http2.client.transport.internal.HttpSenderOverHTTP2";
  static final String JETTY_11_HTTP11 = "org.eclipse.jetty.client.http.HttpSenderOverHTTP";
  static final String JETTY_11_HTTP2 = "org.eclipse.jetty.http2.client.http.HttpSenderOverHTTP2";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(JETTY_12_HTTP11, JETTY_12_HTTP2, JETTY_11_HTTP11, JETTY_11_HTTP2);
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("sendHeaders").and(takesArguments(4));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            SendHeadersInstrumentation.class, "DecideHeaderBlockAdvice", hookedMethods()));
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class DecideHeaderBlockAdvice {
    private DecideHeaderBlockAdvice() {}

    /** True when the write is postponed or refused: the method body is then skipped. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.This Object sender,
        @Advice.Argument(0) Object exchange,
        @Advice.Argument(1) Object content,
        @Advice.Argument(2) boolean last,
        @Advice.Argument(3) Object callback) {
      return JettyExchanges.beforeHeaders(sender, exchange, content, last, callback);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Argument(0) Object exchange) {
      JettyExchanges.afterHeaders(exchange);
    }
  }
}
