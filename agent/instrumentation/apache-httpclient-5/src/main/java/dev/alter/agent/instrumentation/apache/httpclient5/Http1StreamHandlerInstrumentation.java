package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.CommittingRequest;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.HttpRequest;

/**
 * {@code ClientHttp1StreamHandler.commitRequest(request, entityDetails)} (and its HTTP/2 twin in
 * {@code ClientH2StreamHandler}, woven by {@link H2StreamHandlerInstrumentation}) is where an async
 * exchange hands HttpCore its request and the entity producer it will send the body from: the async
 * clients pass the exec chain's {@code AsyncEntityProducer} itself as the entity details. It then
 * submits the head, which reaches the header writer (HTTP/1.1) or the HPACK encoder (HTTP/2) on the
 * same thread; for a tagged request the producer is marked there ({@link CommittingRequest}) so the
 * AWS signer can hash a repeatable body.
 */
public final class Http1StreamHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http.impl.nio.ClientHttp1StreamHandler");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http1StreamHandlerInstrumentation.class,
            "MarkCommittingRequestAdvice",
            commitRequest()));
  }

  static ElementMatcher<MethodDescription> commitRequest() {
    return named("commitRequest")
        .and(takesArguments(2))
        .and(takesArgument(0, named("org.apache.hc.core5.http.HttpRequest")))
        .and(takesArgument(1, named("org.apache.hc.core5.http.EntityDetails")));
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class MarkCommittingRequestAdvice {
    private MarkCommittingRequestAdvice() {}

    @Advice.OnMethodEnter
    public static Object[] enter(
        @Advice.Argument(0) HttpRequest request, @Advice.Argument(1) Object entityDetails) {
      if (request == null
          || !(request.containsHeader(AlterBridge.GRANT_HEADER)
              || request.containsHeader(AlterBridge.IDENTITY_HEADER))) {
        return null;
      }
      return new Object[] {CommittingRequest.enter(request, entityDetails)};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object[] marked) {
      if (marked != null) {
        CommittingRequest.exit(marked[0]);
      }
    }
  }
}
