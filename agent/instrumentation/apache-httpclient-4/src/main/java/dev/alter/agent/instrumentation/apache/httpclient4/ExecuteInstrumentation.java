package dev.alter.agent.instrumentation.apache.httpclient4;

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
import org.apache.http.Header;
import org.apache.http.HttpRequest;

/**
 * The public {@code execute} methods of {@code CloseableHttpClient} (the request is the first
 * argument, or the second after an {@code HttpHost}): a tagged request on a client whose
 * header-writer hook is not woven fails here with {@code client_not_supported}.
 */
public final class ExecuteInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "apache-httpclient-4";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.client.CloseableHttpClient");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                ExecuteInstrumentation.class,
                "FirstArgumentAdvice",
                isPublic()
                    .and(named("execute"))
                    .and(takesArgument(0, named("org.apache.http.client.methods.HttpUriRequest")))))
        .visit(
            AdviceFromClassFile.on(
                ExecuteInstrumentation.class,
                "SecondArgumentAdvice",
                isPublic()
                    .and(named("execute"))
                    .and(takesArgument(1, named("org.apache.http.HttpRequest")))));
  }

  /** Inlined into HttpClient: JDK, HttpCore and bootstrap classes only. */
  public static final class FirstArgumentAdvice {
    private FirstArgumentAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Origin Class<?> client)
        throws IOException {
      Header grant = request == null ? null : request.getFirstHeader(AlterBridge.GRANT_HEADER);
      if (grant != null) {
        AlterBridge.requireHooks("apache-httpclient-4", client, grant.getValue());
      }
    }
  }

  /** Inlined into HttpClient: JDK, HttpCore and bootstrap classes only. */
  public static final class SecondArgumentAdvice {
    private SecondArgumentAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(1) HttpRequest request, @Advice.Origin Class<?> client)
        throws IOException {
      Header grant = request == null ? null : request.getFirstHeader(AlterBridge.GRANT_HEADER);
      if (grant != null) {
        AlterBridge.requireHooks("apache-httpclient-4", client, grant.getValue());
      }
    }
  }
}
