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
 * HTTP/2 frame payload log ({@code org.apache.hc.client5.http2.frame.payload}): {@code
 * FramePrinter.printData(data, appendable)} dumps HEADERS and CONTINUATION payloads, i.e. the HPACK
 * block the encoder hook wrote with the credential as a literal. The dump is given a masked copy.
 */
public final class H2FramePayloadLogInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http2.frame.FramePrinter");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            SharedAdvice.class,
            "MaskLoggedBuffer",
            named("printData").and(takesArguments(2)).and(takesArgument(0, ByteBuffer.class))));
  }
}
