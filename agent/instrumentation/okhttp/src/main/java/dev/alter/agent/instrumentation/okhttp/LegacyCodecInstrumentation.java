package dev.alter.agent.instrumentation.okhttp;

import dev.alter.agent.tooling.AdviceFromClassFile;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * OkHttp 3.5 to 3.13, before {@code Exchange} existed: {@code writeRequestHeaders(Request)} of
 * {@code okhttp3.internal.http1.Http1Codec} and {@code okhttp3.internal.http2.Http2Codec}, which
 * {@code CallServerInterceptor} calls directly (after {@code EventListener.requestHeadersStart}
 * from 3.9 on, and with the original request for {@code requestHeadersEnd}). Deciding and
 * swapping happen in one advice here: in these releases a failure thrown by the codec leaves
 * {@code CallServerInterceptor} at once, and {@link RetryInstrumentation} keeps it from being
 * retried. The decision is the same as {@link ExchangeInstrumentation.PrepareRewriteAdvice}'s;
 * inlined advice cannot share a helper, so it is spelled out again.
 */
public final class LegacyCodecInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("okhttp3.internal.http1.Http1Codec", "okhttp3.internal.http2.Http2Codec");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(AdviceFromClassFile.on(LegacyCodecInstrumentation.class, "RewriteAdvice",
        named("writeRequestHeaders").and(takesArguments(1)).and(takesArgument(0, named("okhttp3.Request")))));
  }

  /** Inlined into OkHttp 3 (Java 7 class files): JDK, OkHttp and bootstrap classes only, no indy. */
  public static final class RewriteAdvice {
    private RewriteAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Request request) throws IOException {
      Headers headers = request.headers();
      int size = headers.size();
      boolean tagged = false;
      for (int i = 0; i < size && !tagged; i++) {
        tagged = AlterBridge.isAlterHeader(headers.name(i));
      }
      if (!tagged) {
        return;
      }

      HttpUrl url = request.url();
      String path = url.encodedPath();
      String query = url.encodedQuery();
      String target = query == null ? path : new StringBuilder(path).append('?').append(query).toString();
      OutgoingRequest outgoing = new OutgoingRequest(request.method(), url.scheme(), url.host(), url.port(), target);
      for (int i = 0; i < size; i++) {
        outgoing.header(headers.name(i), headers.value(i));
      }
      // the body object itself (null for none): only a signing secret reads it, through RequestBody's API
      outgoing.body(OutgoingBody.clientObject(OutgoingBody.OKHTTP, request.body()));

      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);

      Request rewritten;
      try {
        Request.Builder copy = request.newBuilder();
        for (String name : rewrite.removeHeaders()) {
          copy.removeHeader(name);
        }
        for (int i = 0; i < rewrite.addCount(); i++) {
          copy.addHeader(rewrite.addName(i), rewrite.addValue(i));
        }
        String newTarget = rewrite.pathAndQuery();
        if (newTarget != null) {
          int q = newTarget.indexOf('?');
          copy.url(url.newBuilder()
              .encodedPath(q < 0 ? newTarget : newTarget.substring(0, q))
              .encodedQuery(q < 0 ? null : newTarget.substring(q + 1))
              .build());
        }
        rewritten = copy.build();
      } catch (RuntimeException e) {
        throw new AlterCredentialException(AlterCredentialException.INTERNAL_ERROR, outgoing.firstHeader(AlterBridge.GRANT_HEADER),
            "OkHttp refused the injected header or request target",
            "check that the stored credential holds no line breaks or non-ASCII characters");
      }
      request = rewritten;
    }
  }
}
