package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http2.Http2FrameLogger.logHeaders(…)}: the HTTP/2 frame logger
 * (Reactor Netty's {@code wiretap} on HTTP/2) prints every header of a HEADERS frame; it is handed
 * a copy whose injected values are masked, while the frame itself is encoded from the original.
 */
public final class Http2FrameLoggerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.Http2FrameLogger");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http2FrameLoggerInstrumentation.class,
            "MaskLoggedHeadersAdvice",
            named("logHeaders")
                .and(takesArgument(3, named("io.netty.handler.codec.http2.Http2Headers")))));
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class MaskLoggedHeadersAdvice {
    private MaskLoggedHeadersAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 3, readOnly = false) Http2Headers headers) {
      if (headers == null || WireLogRedaction.isEmpty()) {
        return;
      }
      DefaultHttp2Headers copy = new DefaultHttp2Headers(false);
      boolean masked = false;
      for (Map.Entry<CharSequence, CharSequence> header : headers) {
        byte[] value = header.getValue().toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] redacted = WireLogRedaction.redact(value, 0, value.length);
        if (redacted != null) {
          masked = true;
          copy.add(header.getKey(), new String(redacted, StandardCharsets.ISO_8859_1));
        } else {
          copy.add(header.getKey(), header.getValue());
        }
      }
      if (masked) {
        headers = copy;
      }
    }
  }
}
