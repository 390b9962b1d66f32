package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.SharedAdvice;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code DefaultBHttpClientConnection.sendRequestHeader(request)} calls its request writer and then
 * {@code onRequestSubmitted(request)} (the client's headers log) and stream listeners with the same
 * object. Only the writer may see the credential, so this hook does not touch the request; it marks
 * the connection for the writer hook, which needs the origin it dialled.
 */
public final class ClassicConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                SharedAdvice.class,
                "MarkDialledConnection",
                named("sendRequestHeader").and(takesArguments(1))))
        .visit(
            AdviceFromClassFile.on(
                ClassicConnectionInstrumentation.class,
                "ResponseStatusAdvice",
                named("receiveResponseHeader").and(takesArguments(0))));
  }

  /**
   * {@code receiveResponseHeader()} returns each response head read on this connection (1xx
   * included): tells the usage counters what the provider answered an injected request.
   */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.This Object connection,
        @Advice.Return org.apache.hc.core5.http.HttpResponse response) {
      if (response != null) {
        AwaitedResponses.responded(connection, response.getCode());
      }
    }
  }
}
