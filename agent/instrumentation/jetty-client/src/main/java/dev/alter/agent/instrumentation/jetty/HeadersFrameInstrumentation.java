package dev.alter.agent.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
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
 * The constructors {@code HeadersFrame(metaData, priority, endStream)} and {@code
 * HeadersFrame(streamId, metaData, priority, endStream)} of Jetty's HTTP/2 (11 and 12): while a
 * tagged request's {@code sendHeaders} runs on this thread, the frame HPACK encodes holds the
 * rewritten copy of the request's header block.
 */
public final class HeadersFrameInstrumentation implements TypeInstrumentation {
  static final String HEADERS_FRAME = "org.eclipse.jetty.http2.frames.HeadersFrame";
  private static final String META_DATA = "org.eclipse.jetty.http.MetaData";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(HEADERS_FRAME);
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return isConstructor()
        .and(
            takesArguments(3)
                .and(takesArgument(0, named(META_DATA)))
                .or(takesArguments(4).and(takesArgument(1, named(META_DATA)))));
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                HeadersFrameInstrumentation.class,
                "FirstArgumentAdvice",
                isConstructor().and(takesArguments(3)).and(takesArgument(0, named(META_DATA)))))
        .visit(
            AdviceFromClassFile.on(
                HeadersFrameInstrumentation.class,
                "SecondArgumentAdvice",
                isConstructor().and(takesArguments(4)).and(takesArgument(1, named(META_DATA)))));
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class FirstArgumentAdvice {
    private FirstArgumentAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Object metaData) {
      metaData = JettyExchanges.headerBlock(metaData);
    }
  }

  /** Inlined into Jetty: JDK and bootstrap classes only. */
  public static final class SecondArgumentAdvice {
    private SecondArgumentAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Object metaData) {
      metaData = JettyExchanges.headerBlock(metaData);
    }
  }
}
