package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;

/**
 * {@code AsyncExecChainElement.execute(HttpRequest, …)}, through which every 5.x async client
 * (minimal, HTTP/1.1, HTTP/2) hands its request to the exec chain: the first place the request of
 * an async call is an {@link HttpRequest} (before it, a request producer). A tagged request on a
 * client whose header-writer hooks are not woven fails here with {@code client_not_supported}; the
 * client reports it to the call's future and callback. Each chain element passes here, so the check
 * is a single header lookup for untagged requests.
 */
public final class AsyncExecChainInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "apache-httpclient-5/async";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.async.AsyncExecChainElement");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            AsyncExecChainInstrumentation.class,
            "RequireHooksAdvice",
            isPublic()
                .and(named("execute"))
                .and(takesArgument(0, named("org.apache.hc.core5.http.HttpRequest")))));
  }

  /** Inlined into HttpClient: JDK, HttpCore and bootstrap classes only. */
  public static final class RequireHooksAdvice {
    private RequireHooksAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Origin Class<?> client)
        throws IOException {
      Header grant = request.getFirstHeader(AlterBridge.GRANT_HEADER);
      if (grant != null) {
        AlterBridge.requireHooks("apache-httpclient-5/async", client, grant.getValue());
      }
    }
  }
}
