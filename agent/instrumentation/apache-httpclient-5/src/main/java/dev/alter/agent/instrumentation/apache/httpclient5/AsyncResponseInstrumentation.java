package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.HttpResponse;

/**
 * The async client's HTTP/1.1 response side: {@code ClientHttp1StreamDuplexer.consumeHeader} is
 * handed each response head the duplexer parsed, on the duplexer whose {@code commitMessageHead}
 * wrote the request; tells the usage counters what the provider answered an injected request.
 */
public final class AsyncResponseInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http.impl.nio.ClientHttp1StreamDuplexer");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            AsyncResponseInstrumentation.class,
            "ResponseStatusAdvice",
            named("consumeHeader")
                .and(takesArguments(2))
                .and(takesArgument(0, named("org.apache.hc.core5.http.HttpResponse")))));
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.This Object duplexer, @Advice.Argument(0) HttpResponse response) {
      if (response != null) {
        AwaitedResponses.responded(duplexer, response.getCode());
      }
    }
  }
}
