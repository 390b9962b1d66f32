package dev.alter.agent.instrumentation.apache.httpclient4;

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
 * {@code org.apache.http.impl.DefaultBHttpClientConnection.sendRequestHeader(HttpRequest)}: the
 * connection every HttpClient 4.3+ connection manager writes through ({@code
 * LoggingManagedHttpClientConnection} extends it). It writes the head with its request writer and
 * only then calls {@code onRequestSubmitted}, where the {@code org.apache.http.headers} log prints
 * the request object. The advice marks this connection on the thread for the writer (which cannot
 * see it), so the destination is the socket this connection really dialled.
 */
public final class ClientConnectionInstrumentation implements TypeInstrumentation {
  /**
   * Loaders that see HttpClient's {@code ManagedHttpClientConnection} (HttpCore alone, e.g. in a
   * server, is left alone). Looked up as a resource so matching never loads a class.
   */
  static final ElementMatcher<ClassLoader> SEES_MANAGED_CONNECTION =
      loader ->
          loader != null
              && loader.getResource("org/apache/http/conn/ManagedHttpClientConnection.class")
                  != null;

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.DefaultBHttpClientConnection");
  }

  /** The writer's advice reads the connection as HttpClient's ManagedHttpClientConnection. */
  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return SEES_MANAGED_CONNECTION;
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
                ClientConnectionInstrumentation.class,
                "ResponseStatusAdvice",
                named("receiveResponseHeader").and(takesArguments(0))));
  }

  /**
   * {@code receiveResponseHeader()} returns each response head read on the connection (1xx
   * included): tells the usage counters what the provider answered an injected request.
   */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.This Object connection, @Advice.Return org.apache.http.HttpResponse response) {
      if (response != null && response.getStatusLine() != null) {
        AwaitedResponses.responded(connection, response.getStatusLine().getStatusCode());
      }
    }
  }
}
