package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.UnsentStream;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.ProtocolException;

/**
 * HTTP/2 usage counting for the async client: {@code ClientH2StreamHandler} serves one stream. Its
 * {@code commitRequest} submits the request's HEADERS, which the multiplexer decides and encodes on
 * the same thread, so {@link H2StreamChannelInstrumentation} (or, for a request it did not see,
 * {@link HPackEncoderInstrumentation}) marks this handler for the response; {@code consumeHeader}
 * then receives the response head, whose {@code :status} tells the usage counters what the provider
 * answered. An untagged response costs one emptiness check. {@code commitRequest} also marks a
 * tagged request's entity producer for the hooks that decide it (see {@link
 * Http1StreamHandlerInstrumentation}).
 */
public final class H2StreamHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http2.impl.nio.ClientH2StreamHandler");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                H2StreamHandlerInstrumentation.class,
                "CommitRequestAdvice",
                named("commitRequest").and(takesArguments(2))))
        .visit(
            AdviceFromClassFile.on(
                Http1StreamHandlerInstrumentation.class,
                "MarkCommittingRequestAdvice",
                Http1StreamHandlerInstrumentation.commitRequest()))
        .visit(
            AdviceFromClassFile.on(
                H2StreamHandlerInstrumentation.class,
                "ResponseStatusAdvice",
                named("consumeHeader").and(takesArguments(2))))
        .visit(
            AdviceFromClassFile.on(
                H2StreamHandlerInstrumentation.class,
                "UnwrapRefusalAdvice",
                named("failed").and(takesArguments(Exception.class))));
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class CommitRequestAdvice {
    private CommitRequestAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object handler) {
      return AwaitedResponses.writingFor(handler);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object previous) {
      AwaitedResponses.writtenFor(previous);
    }
  }

  /**
   * A request {@link H2StreamChannelInstrumentation} refused fails its stream with a {@link
   * ProtocolException} (the one failure HttpCore keeps to the stream); the exchange gets the {@link
   * AlterCredentialException} inside it, while {@link H2ExecRuntimeInstrumentation} keeps the
   * client from closing the shared connection over it. Inlined into HttpCore: JDK, HttpCore and
   * bootstrap classes only.
   */
  public static final class UnwrapRefusalAdvice {
    private UnwrapRefusalAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(value = 0, readOnly = false) Exception cause) {
      if (cause instanceof ProtocolException
          && cause.getCause() instanceof AlterCredentialException) {
        cause = (AlterCredentialException) cause.getCause();
        UnsentStream.forgetRefused();
        return UnsentStream.reporting();
      }
      return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object reporting) {
      if (reporting != null) {
        UnsentStream.reported(reporting);
      }
    }
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(
        @Advice.This Object handler, @Advice.Argument(0) List<? extends Header> headers) {
      if (headers == null || !AwaitedResponses.awaits(handler)) {
        return;
      }
      for (int i = 0; i < headers.size(); i++) {
        Header header = headers.get(i);
        if (":status".equals(header.getName())) {
          AwaitedResponses.responded(handler, Integer.parseInt(header.getValue().trim()));
          return;
        }
      }
    }
  }
}
