package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HTTP/2, first half: {@code jdk.internal.net.http.Stream.sendHeadersAsync()} runs for each hop
 * before the stream has an id, then encodes its HEADERS frame synchronously inside the connection's
 * send lock ({@code Http2Connection.sendFrame}), where any exception shuts the whole connection
 * down with every sibling stream. So the request is decided here: a refusal becomes this stream's
 * failed future (as the JDK does for a stream cancelled before its headers went out) and nothing is
 * sent; an accepted request's rewrite is handed, by the identity of the stream's pseudo-header
 * object, to {@link Http2ConnectionInstrumentation} further down the same call, which applies it
 * without asking again (a policy's rate counts the request once).
 *
 * <p>The advice names no bridge exception type in its locals or frames (the refusal is held as an
 * {@link IOException}): the JDK loader's type pool could not describe one there, and the advice did
 * not weave.
 */
public final class Http2StreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.Stream");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http2StreamInstrumentation.class,
            "DecideBeforeStreamAdvice",
            named("sendHeadersAsync").and(takesNoArguments())));
  }

  /** Inlined into {@code Stream}: JDK types and the bridge only. */
  public static final class DecideBeforeStreamAdvice {
    private DecideBeforeStreamAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
        @Advice.FieldValue("request") HttpRequest request,
        @Advice.FieldValue("requestPseudoHeaders") HttpHeaders pseudo,
        @Advice.Local("prepared") Object prepared) {
      prepared = null;
      if (request == null || pseudo == null) {
        return null;
      }
      Map<String, List<String>> headers = request.headers().map();
      boolean tagged = false;
      for (String name : headers.keySet()) {
        tagged |= AlterBridge.isAlterHeader(name);
      }
      if (!tagged) {
        return null;
      }
      String authority = pseudo.firstValue(":authority").orElse("");
      String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
      String host = hostPort;
      int port = -1;
      int colon = hostPort.lastIndexOf(':');
      if (colon > hostPort.lastIndexOf(']')) {
        host = hostPort.substring(0, colon);
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = 0; // never matches a destination: fails closed
        }
      }
      OutgoingRequest outgoing =
          new OutgoingRequest(
              pseudo.firstValue(":method").orElse("GET"),
              pseudo.firstValue(":scheme").orElse(""),
              host,
              port,
              pseudo.firstValue(":path").orElse("/"));
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        for (String value : e.getValue()) {
          outgoing.header(e.getKey(), value);
        }
      }
      outgoing.body(
          OutgoingBody.clientObject(
              OutgoingBody.JDK_PUBLISHER, request.bodyPublisher().orElse(null)));
      try {
        prepared = PreparedRequest.enter(pseudo, AlterBridge.rewrite(outgoing));
        // this HttpRequestImpl is the one the stream's Response is built with
        AwaitedResponses.expect(request, outgoing);
        return null;
      } catch (IOException refused) {
        return refused;
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(
        @Advice.Enter Object refused,
        @Advice.Local("prepared") Object prepared,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future) {
      if (prepared != null) {
        PreparedRequest.exit(prepared);
      }
      if (refused != null) {
        future = CompletableFuture.failedFuture((Throwable) refused);
      }
    }
  }
}
