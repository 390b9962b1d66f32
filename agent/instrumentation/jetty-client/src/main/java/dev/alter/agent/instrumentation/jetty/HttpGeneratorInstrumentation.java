package dev.alter.agent.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.JettyExchanges;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.eclipse.jetty.http.HttpGenerator.generateRequest(info, header, chunk, content, last)}
 * (Jetty 11 and 12): while a tagged request's {@code sendHeaders} runs on this thread, the HTTP/1.1
 * generator writes the rewritten copy of its {@code MetaData.Request}. Any other call (Jetty's
 * server side, untagged requests) passes untouched.
 */
public final class HttpGeneratorInstrumentation implements TypeInstrumentation {
  static final String GENERATOR = "org.eclipse.jetty.http.HttpGenerator";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(GENERATOR);
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("generateRequest").and(takesArguments(5));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            HttpGeneratorInstrumentation.class, "RewrittenHeaderBlockAdvice", hookedMethods()));
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class RewrittenHeaderBlockAdvice {
    private RewrittenHeaderBlockAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Object info) {
      info = JettyExchanges.headerBlock(info);
    }
  }
}
