package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.net.URI;
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
 * before the stream gets an id. Resolving here lets a refused request fail on its own (a failed
 * future, as the JDK does for a cancelled stream) instead of inside the connection's send lock,
 * where an exception would shut down every stream of the connection. The rewrite itself happens in
 * {@link Http2ConnectionInstrumentation}, which then finds the credential cached.
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
            "SendHeadersAdvice",
            named("sendHeadersAsync").and(takesNoArguments())));
  }

  /** Inlined into {@code Stream}: JDK types and the bridge only. */
  public static final class SendHeadersAdvice {
    private SendHeadersAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static AlterCredentialException enter(
        @Advice.FieldValue("request") HttpRequest request) {
      if (request == null) {
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
      URI uri = request.uri();
      String path =
          (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String host = uri.getHost() != null ? uri.getHost() : String.valueOf(uri.getRawAuthority());
      OutgoingRequest outgoing =
          new OutgoingRequest(request.method(), uri.getScheme(), host, uri.getPort(), path);
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        for (String value : e.getValue()) {
          outgoing.header(e.getKey(), value);
        }
      }
      outgoing.body(
          OutgoingBody.clientObject(
              OutgoingBody.JDK_PUBLISHER, request.bodyPublisher().orElse(null)));
      try {
        AlterBridge.rewrite(outgoing);
        return null;
      } catch (AlterCredentialException refused) {
        return refused;
      }
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter AlterCredentialException refused,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future) {
      if (refused != null) {
        future = CompletableFuture.failedFuture(refused);
      }
    }
  }
}
