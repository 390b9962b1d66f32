package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.SensitiveHeaderValue;
import dev.alter.agent.bootstrap.UnhookedNettyClients;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http2.HpackEncoder.encodeHeader(out, name, value, sensitive,
 * size)}: a header value the agent injected ({@link SensitiveHeaderValue}) is encoded as never
 * indexed, whatever sensitivity detector the client configured, so the credential never enters the
 * HPACK dynamic table. Costs one type check per encoded header.
 */
public final class HpackEncoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.HpackEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                HpackEncoderInstrumentation.class,
                "NeverIndexInjectedValuesAdvice",
                named("encodeHeader").and(takesArguments(5)).and(takesArgument(3, boolean.class))))
        .visit(
            AdviceFromClassFile.on(
                HpackEncoderInstrumentation.class,
                "RefuseUndecidedBlocksAdvice",
                named("encodeHeaders")
                    .and(takesArguments(4))
                    .and(takesArgument(2, named("io.netty.handler.codec.http2.Http2Headers")))));
  }

  /** Inlined into Netty: JDK and bootstrap classes only. */
  public static final class NeverIndexInjectedValuesAdvice {
    private NeverIndexInjectedValuesAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(2) CharSequence value,
        @Advice.Argument(value = 3, readOnly = false) boolean sensitive) {
      if (value instanceof SensitiveHeaderValue) {
        sensitive = true;
      }
    }
  }

  /**
   * {@code encodeHeaders(streamId, out, headers, sensitivityDetector)}: the hooks above it
   * (HTTP/1.1 codec, stream codec, stream channel, connection encoder) rewrite every tagged block
   * they see, so a block that still names a grant here came by a path the agent does not know. It
   * is refused before any field is encoded, as a connection error: the HPACK table stays as the
   * peer knows it, and nothing of the block is written.
   */
  public static final class RefuseUndecidedBlocksAdvice {
    private RefuseUndecidedBlocksAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(2) Http2Headers headers) throws Http2Exception {
      if (headers.contains(AlterBridge.GRANT_HEADER) || headers.contains("alter-identity")) {
        UnhookedNettyClients.warnOnce();
        throw Http2Exception.connectionError(
            Http2Error.INTERNAL_ERROR,
            "Alter refused a tagged header block that bypassed its hooks (see the agent's log)");
      }
    }
  }
}
