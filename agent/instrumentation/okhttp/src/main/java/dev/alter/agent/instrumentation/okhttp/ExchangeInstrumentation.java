package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * {@code okhttp3.internal.connection.Exchange.writeRequestHeaders(Request)} (3.14.0 and later):
 * decides, once per hop, what a tagged request becomes, and fails it here when it cannot get its
 * credential.
 *
 * <p>Why here and not in the codec: on entry nothing has happened yet for this header write, so an
 * {@link AlterCredentialException} thrown here reaches {@code execute()} or {@code onFailure}
 * unchanged, with no header event and no retry. Thrown from inside the codec it would first pass
 * {@code Exchange}'s failure tracking, after which (per their {@code CallServerInterceptor}) OkHttp
 * 4 and 5 try to read a response that never comes (4.12's HTTP/1 codec fails its state check with
 * an {@code IllegalStateException}; 5.x reads until the read timeout) and treat the call as
 * retryable. The rewritten copy is handed to {@link ExchangeCodecInstrumentation} through {@link
 * PreparedRequest}: this method passes the original on to {@code EventListener.requestHeadersEnd},
 * so the swap must happen one level down.
 *
 * <p>The request here is the network request: after application interceptors, {@code
 * BridgeInterceptor} and network interceptors, so its URL names the origin this hop dials (OkHttp
 * picks the connection, verifies TLS and strips userinfo from exactly that URL) and its headers are
 * the ones the codec will write.
 */
public final class ExchangeInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("okhttp3.internal.connection.Exchange");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                ExchangeInstrumentation.class, "PrepareRewriteAdvice", hookedMethods()))
        .visit(
            AdviceFromClassFile.on(
                ExchangeInstrumentation.class,
                "ResponseStatusAdvice",
                named("responseHeadersEnd")
                    .and(takesArguments(1))
                    .and(takesArgument(0, named("okhttp3.Response")))));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("writeRequestHeaders")
        .and(takesArguments(1))
        .and(takesArgument(0, named("okhttp3.Request")));
  }

  /**
   * Inlined into OkHttp: references only JDK, OkHttp and bootstrap classes, and avoids lambdas and
   * indy string concatenation (OkHttp's own classes are Java 7/8 class files).
   */
  public static final class PrepareRewriteAdvice {
    private PrepareRewriteAdvice() {}

    /**
     * @return the {@link PreparedRequest} token, or null for an untagged request
     */
    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object exchange, @Advice.Argument(0) Request request)
        throws IOException {
      Headers headers = request.headers();
      int size = headers.size();
      boolean tagged = false;
      for (int i = 0; i < size && !tagged; i++) {
        tagged = AlterBridge.isAlterHeader(headers.name(i));
      }
      if (!tagged) {
        return null;
      }

      HttpUrl url = request.url();
      String path = url.encodedPath();
      String query = url.encodedQuery();
      String target =
          query == null ? path : new StringBuilder(path).append('?').append(query).toString();
      OutgoingRequest outgoing =
          new OutgoingRequest(request.method(), url.scheme(), url.host(), url.port(), target);
      for (int i = 0; i < size; i++) {
        outgoing.header(headers.name(i), headers.value(i));
      }
      // the body object itself (null for none): only a signing secret reads it, through
      // RequestBody's API
      outgoing.body(OutgoingBody.clientObject(OutgoingBody.OKHTTP, request.body()));

      // Fails the call right here, before anything is written: AlterCredentialException is an
      // IOException.
      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);
      // this hop's Exchange is handed its response in responseHeadersEnd, by the call's thread
      // (CallServerInterceptor)
      AwaitedResponses.expectOnThisThread(exchange, outgoing);

      Request rewritten;
      try {
        Request.Builder copy = request.newBuilder();
        for (int i = 0; i < rewrite.removeCount(); i++) {
          copy.removeHeader(rewrite.removeName(i));
        }
        for (int i = 0; i < rewrite.addCount(); i++) {
          copy.addHeader(rewrite.addName(i), rewrite.addValue(i));
        }
        String newTarget = rewrite.pathAndQuery();
        if (newTarget != null) {
          int q = newTarget.indexOf('?');
          copy.url(
              url.newBuilder()
                  .encodedPath(q < 0 ? newTarget : newTarget.substring(0, q))
                  .encodedQuery(q < 0 ? null : newTarget.substring(q + 1))
                  .build());
        }
        rewritten = copy.build();
      } catch (RuntimeException e) {
        // OkHttp's own validation messages may quote the header value: neither message nor cause is
        // kept.
        throw new AlterCredentialException(
            AlterCredentialException.INTERNAL_ERROR,
            outgoing.grantHeader(),
            "OkHttp refused the injected header or request target",
            "check that the stored credential holds no line breaks or non-ASCII characters");
      }
      return PreparedRequest.enter(request, rewritten);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
      if (token != null) {
        PreparedRequest.exit(token);
      }
    }
  }

  /**
   * {@code Exchange.responseHeadersEnd(Response)}: the hop's final response head (after any 100
   * Continue), which tells the usage counters what the provider answered an injected request.
   */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.This Object exchange, @Advice.Argument(0) okhttp3.Response response) {
      AwaitedResponses.responded(exchange, response.code());
    }
  }
}
