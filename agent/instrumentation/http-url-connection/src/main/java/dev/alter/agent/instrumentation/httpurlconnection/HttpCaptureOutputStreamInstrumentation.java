package dev.alter.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.io.OutputStream;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import sun.net.www.http.HttpCapture;

/**
 * {@code sun.net.www.http.HttpCaptureOutputStream.write(byte[], int, int)} and {@code
 * write(byte[])}: the JDK's raw-bytes traffic capture ({@code -Dsun.net.http.captureRules}), which
 * copies every byte an HttpURLConnection sends into a capture file. When a chunk holds a value the
 * header-block advice injected, the capture gets a masked copy and the socket the original bytes;
 * otherwise the JDK's own code runs unchanged.
 */
public final class HttpCaptureOutputStreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.net.www.http.HttpCaptureOutputStream");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                HttpCaptureOutputStreamInstrumentation.class,
                "CaptureRangeMaskedAdvice",
                named("write").and(takesArguments(3)).and(takesArgument(0, byte[].class))))
        .visit(
            AdviceFromClassFile.on(
                HttpCaptureOutputStreamInstrumentation.class,
                "CaptureArrayMaskedAdvice",
                named("write").and(takesArguments(1)).and(takesArgument(0, byte[].class))));
  }

  public static final class CaptureRangeMaskedAdvice {
    private CaptureRangeMaskedAdvice() {}

    /**
     * @return true when it wrote the chunk itself (the original method body is then skipped)
     */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.Argument(0) byte[] bytes,
        @Advice.Argument(1) int offset,
        @Advice.Argument(2) int length,
        @Advice.FieldValue("capture") HttpCapture capture,
        @Advice.FieldValue("out") OutputStream out)
        throws IOException {
      if (WireLogRedaction.isEmpty()) {
        return false;
      }
      byte[] masked = WireLogRedaction.redact(bytes, offset, length);
      if (masked == null) {
        return false;
      }
      for (byte b : masked) {
        capture.sent(b);
      }
      out.write(bytes, offset, length);
      return true;
    }
  }

  public static final class CaptureArrayMaskedAdvice {
    private CaptureArrayMaskedAdvice() {}

    /**
     * @return true when it wrote the chunk itself (the original method body is then skipped)
     */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.Argument(0) byte[] bytes,
        @Advice.FieldValue("capture") HttpCapture capture,
        @Advice.FieldValue("out") OutputStream out)
        throws IOException {
      if (WireLogRedaction.isEmpty() || bytes == null) {
        return false;
      }
      byte[] masked = WireLogRedaction.redact(bytes, 0, bytes.length);
      if (masked == null) {
        return false;
      }
      for (byte b : masked) {
        capture.sent(b);
      }
      out.write(bytes);
      return true;
    }
  }
}
