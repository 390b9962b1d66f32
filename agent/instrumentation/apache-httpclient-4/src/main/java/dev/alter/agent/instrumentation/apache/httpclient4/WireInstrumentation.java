package dev.alter.agent.instrumentation.apache.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.SharedAdvice;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.http.impl.conn.Wire.output(byte[], int, int)} and {@code output(byte[])}: what
 * the {@code org.apache.http.wire} logger prints for the bytes a connection writes ({@code
 * LoggingOutputStream}, and {@code LoggingSessionOutputBuffer} of the deprecated API). The logger
 * is handed a copy with every recently injected value masked; the socket still gets the original
 * bytes. Redaction does not suppress errors: a failure fails the write, it never lets the unmasked
 * bytes be logged.
 */
public final class WireInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.conn.Wire");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                SharedAdvice.class,
                "MaskLoggedRange",
                named("output").and(takesArguments(3)).and(takesArgument(0, byte[].class))))
        .visit(
            AdviceFromClassFile.on(
                SharedAdvice.class,
                "MaskLoggedArray",
                named("output").and(takesArguments(1)).and(takesArgument(0, byte[].class))));
  }
}
