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
 * The public {@code execute} methods of {@code CloseableHttpClient} (the request is their first or
 * second argument in every 5.x release): a tagged request on a client whose header-writer hook is
 * not woven fails here with {@code client_not_supported}, before any exec chain element runs.
 */
public final class ClassicExecuteInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "apache-httpclient-5/classic";

  private static final String REQUEST = "org.apache.hc.core5.http.ClassicHttpRequest";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                ClassicExecuteInstrumentation.class,
                "FirstArgumentAdvice",
                isPublic().and(named("execute")).and(takesArgument(0, named(REQUEST)))))
        .visit(
            AdviceFromClassFile.on(
                ClassicExecuteInstrumentation.class,
                "SecondArgumentAdvice",
                isPublic().and(named("execute")).and(takesArgument(1, named(REQUEST)))));
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
        AlterBridge.requireHooks("apache-httpclient-5/classic", client, grant.getValue());
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
        AlterBridge.requireHooks("apache-httpclient-5/classic", client, grant.getValue());
      }
    }
  }
}
