package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.UnsentStream;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HttpCore 5.4 and later (whose stream channel has {@code localResetTime}): {@code
 * localReset(code)} of a stream {@link H2StreamChannelInstrumentation} refused before its HEADERS
 * marks it closed and reset as HttpCore does, but commits no RST_STREAM frame, which the peer would
 * have to treat as a connection error (the stream is idle for it). HttpCore then drops the stream
 * after its usual linger time. HttpCore 5.0 to 5.3 send no frame for a stream that never sent
 * headers (its {@code idle} flag).
 */
public final class H2UnsentStreamResetInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(H2StreamChannelInstrumentation.CHANNEL)
        .and(declaresField(named("localResetTime")));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            H2UnsentStreamResetInstrumentation.class,
            "ResetWithoutFrameAdvice",
            named("localReset").and(takesArguments(int.class))));
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class ResetWithoutFrameAdvice {
    private ResetWithoutFrameAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.This Object channel,
        @Advice.FieldValue(value = "localClosed", readOnly = false) boolean localClosed,
        @Advice.FieldValue(value = "localResetTime", readOnly = false) long localResetTime) {
      if (!UnsentStream.takeRefused(channel)) {
        return false;
      }
      localClosed = true;
      localResetTime = System.currentTimeMillis();
      return true;
    }
  }
}
