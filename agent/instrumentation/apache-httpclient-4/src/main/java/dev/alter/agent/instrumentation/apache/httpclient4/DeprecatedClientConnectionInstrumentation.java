package dev.alter.agent.instrumentation.apache.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.SharedAdvice;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.http.impl.AbstractHttpClientConnection.sendRequestHeader(HttpRequest)}: the
 * same role for the deprecated pre-4.3 API ({@code DefaultHttpClient} and {@code
 * DefaultClientConnection}, which is also a {@code ManagedHttpClientConnection} and logs headers
 * after {@code super.sendRequestHeader}). Same advice as {@link ClientConnectionInstrumentation}.
 */
public final class DeprecatedClientConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.AbstractHttpClientConnection");
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ClientConnectionInstrumentation.SEES_MANAGED_CONNECTION;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                SharedAdvice.class,
                "MarkDialledConnection",
                named("sendRequestHeader").and(takesArguments(1))))
        .visit(
            AdviceFromClassFile.on(
                ClientConnectionInstrumentation.class,
                "ResponseStatusAdvice",
                named("receiveResponseHeader").and(takesArguments(0))));
  }
}
