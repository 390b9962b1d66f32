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
 * {@code AbstractHttp1StreamDuplexer.commitMessageHead(head, endStream, flushMode)} is the one
 * place an async HTTP/1.1 connection hands a message head to its writer (after the stream
 * listener's {@code onRequestHead}, i.e. the headers log). It keeps the message for its own
 * bookkeeping, so it is left alone; the connection is marked for the writer hook.
 */
public final class AsyncHttp1DuplexerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http.impl.nio.AbstractHttp1StreamDuplexer");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            SharedAdvice.class,
            "MarkDialledConnection",
            named("commitMessageHead").and(takesArguments(3))));
  }
}
