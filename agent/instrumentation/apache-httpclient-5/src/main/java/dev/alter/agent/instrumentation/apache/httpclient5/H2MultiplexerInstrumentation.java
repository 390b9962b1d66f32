package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.DialledConnection;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexer;

/**
 * {@code AbstractH2StreamMultiplexer.commitHeaders(streamId, headers, endStream)} passes the header
 * list to the stream listener (the client's headers and frame logs) and then to its HPACK encoder.
 * Client connections only are marked for the encoder hook: a server's response headers are never
 * touched.
 */
public final class H2MultiplexerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http2.impl.nio.AbstractH2StreamMultiplexer");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            H2MultiplexerInstrumentation.class,
            "MarkClientConnectionAdvice",
            named("commitHeaders").and(takesArguments(3))));
  }

  public static final class MarkClientConnectionAdvice {
    private MarkClientConnectionAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object multiplexer) {
      return DialledConnection.enter(
          multiplexer instanceof ClientH2StreamMultiplexer ? multiplexer : null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object previous) {
      DialledConnection.exit(previous);
    }
  }
}
