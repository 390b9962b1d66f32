package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Headers;
import okhttp3.Request;

/**
 * {@code writeRequestHeaders(Request)} of OkHttp's two codecs, {@code
 * okhttp3.internal.http1.Http1ExchangeCodec} (request line and header block) and {@code
 * okhttp3.internal.http2.Http2ExchangeCodec} (the HEADERS frame, whose {@code :path} and {@code
 * :scheme} also come from this argument): replaces the argument with the copy that {@link
 * ExchangeInstrumentation} prepared, so only the bytes on the wire carry the credential.
 *
 * <p>CONNECT tunnels never pass here: OkHttp writes them with {@code
 * Http1ExchangeCodec.writeRequest}.
 */
public final class ExchangeCodecInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "okhttp3.internal.http1.Http1ExchangeCodec", "okhttp3.internal.http2.Http2ExchangeCodec");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            ExchangeCodecInstrumentation.class, "SwapRequestAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("writeRequestHeaders")
        .and(takesArguments(1))
        .and(takesArgument(0, named("okhttp3.Request")));
  }

  /** Inlined into OkHttp: JDK, OkHttp and bootstrap classes only. */
  public static final class SwapRequestAdvice {
    private SwapRequestAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 0, readOnly = false) Request request)
        throws IOException {
      Object replacement = PreparedRequest.replacementFor(request);
      if (replacement != null) {
        request = (Request) replacement;
        return;
      }
      // Every header write goes through Exchange.writeRequestHeaders; a tagged request that did
      // not is a path this instrumentation does not know, so it is failed rather than sent as is.
      Headers headers = request.headers();
      for (int i = 0, size = headers.size(); i < size; i++) {
        if (AlterBridge.isAlterHeader(headers.name(i))) {
          throw new AlterCredentialException(
              AlterCredentialException.INTERNAL_ERROR,
              request.header(AlterBridge.GRANT_HEADER),
              "this OkHttp version wrote a tagged request outside Exchange.writeRequestHeaders",
              "report the OkHttp version; the request was not sent");
        }
      }
    }
  }
}
