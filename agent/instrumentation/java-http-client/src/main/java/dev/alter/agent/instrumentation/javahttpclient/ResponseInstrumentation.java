package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The response side, HTTP/1.1 and HTTP/2 alike: {@code jdk.internal.net.http.Response} is built
 * once per hop's response head with the hop's {@code HttpRequestImpl} and status, which tells the
 * usage counters what the provider answered an injected request.
 */
public final class ResponseInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.Response");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(ResponseInstrumentation.class, "StatusAdvice", isConstructor()));
  }

  /** Inlined into {@code Response}: JDK types and the bridge only. */
  public static final class StatusAdvice {
    private StatusAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.FieldValue("request") Object request, @Advice.FieldValue("statusCode") int status) {
      AwaitedResponses.responded(request, status);
    }
  }
}
