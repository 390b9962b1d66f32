package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.SensitiveHeaderValue;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http2.HpackEncoder.encodeHeader(out, name, value, sensitive,
 * size)}: a header value the agent injected ({@link SensitiveHeaderValue}) is encoded as never
 * indexed, whatever sensitivity detector the client configured, so the credential never enters the
 * HPACK dynamic table. Costs one type check per encoded header.
 */
public final class HpackEncoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.HpackEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            HpackEncoderInstrumentation.class,
            "NeverIndexInjectedValuesAdvice",
            named("encodeHeader").and(takesArguments(5)).and(takesArgument(3, boolean.class))));
  }

  /** Inlined into Netty: JDK and bootstrap classes only. */
  public static final class NeverIndexInjectedValuesAdvice {
    private NeverIndexInjectedValuesAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(2) CharSequence value,
        @Advice.Argument(value = 3, readOnly = false) boolean sensitive) {
      if (value instanceof SensitiveHeaderValue) {
        sensitive = true;
      }
    }
  }
}
