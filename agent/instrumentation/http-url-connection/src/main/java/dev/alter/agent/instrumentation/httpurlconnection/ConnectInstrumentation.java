package dev.alter.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.net.URLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code sun.net.www.protocol.http.HttpURLConnection.connect()}, {@code getOutputStream()} and
 * {@code getInputStream()}: the public calls through which an application sends a request (the
 * HTTPS connection delegates to the same class; {@code getResponseCode()} goes through {@code
 * getInputStream()}). A tagged request on a JDK whose header hook ({@link
 * HttpClientWriteRequestsInstrumentation}) is not woven fails here with {@code
 * client_not_supported}, before a socket is opened.
 */
public final class ConnectInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "http-url-connection";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.net.www.protocol.http.HttpURLConnection");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            ConnectInstrumentation.class,
            "RequireHooksAdvice",
            isPublic()
                .and(namedOneOf("connect", "getOutputStream", "getInputStream"))
                .and(takesNoArguments())));
  }

  /** Inlined into {@code java.base}: JDK types and the bridge only. */
  public static final class RequireHooksAdvice {
    private RequireHooksAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.This URLConnection connection, @Advice.Origin Class<?> client)
        throws IOException {
      // the JDK's own override: it answers after connect too, and never hides alter-grant
      String grant = connection.getRequestProperty(AlterBridge.GRANT_HEADER);
      if (grant != null) {
        AlterBridge.requireHooks("http-url-connection", client, grant);
      }
    }
  }
}
