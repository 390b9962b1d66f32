package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.SharedAdvice;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Classic wire log ({@code org.apache.hc.client5.http.wire}): {@code LoggingOutputStream} and
 * {@code LoggingInputStream} pass every chunk to {@code Wire.output/input(byte[], int, int)} (the
 * other overloads delegate there). The logger is given a copy with injected values masked; the
 * socket still gets the real bytes. Input is masked too, for servers that echo headers.
 */
public final class ClassicWireLogInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.Wire");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            SharedAdvice.class,
            "MaskLoggedRange",
            named("output")
                .or(named("input"))
                .and(takesArguments(byte[].class, int.class, int.class))));
  }
}
