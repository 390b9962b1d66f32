package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.SharedAdvice;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.nio.ByteBuffer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Async wire log ({@code org.apache.hc.client5.http.wire}): {@code LoggingIOSession.logData(data,
 * prefix)} prints what {@code write}/{@code read} moved (plaintext: the session sits above TLS) as
 * a 16-byte-per-line dump. The dump is given a masked copy of those bytes.
 */
public final class AsyncWireLogInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.async.LoggingIOSession");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            SharedAdvice.class,
            "MaskLoggedBuffer",
            named("logData").and(takesArguments(2)).and(takesArgument(0, ByteBuffer.class))));
  }
}
