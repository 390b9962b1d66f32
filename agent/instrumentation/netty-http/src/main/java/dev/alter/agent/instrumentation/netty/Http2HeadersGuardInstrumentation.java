package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.UnhookedNettyClients;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Headers;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder.writeHeaders(…)}: the last
 * point before any Netty HTTP/2 client's HEADERS frame is encoded. Requests that came through the
 * hooked codecs arrive here rewritten, without {@code alter-*} headers; a request that still
 * carries one was written by a client that builds HTTP/2 headers itself (the Vert.x HTTP/2 client,
 * for one), which Alter does not hook: it is failed, never sent with the grant id and no
 * credential, and the agent logs one WARNING per such client ({@link UnhookedNettyClients}).
 */
public final class Http2HeadersGuardInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http2HeadersGuardInstrumentation.class,
            "RefuseUnhookedTaggedHeadersAdvice",
            named("writeHeaders")
                .and(takesArgument(2, named("io.netty.handler.codec.http2.Http2Headers")))));
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class RefuseUnhookedTaggedHeadersAdvice {
    private RefuseUnhookedTaggedHeadersAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static ChannelPromise enter(
        @Advice.Argument(2) Http2Headers headers, @Advice.AllArguments Object[] arguments) {
      if (headers == null
          || !headers.contains(AlterBridge.GRANT_HEADER)
              && !headers.contains(AlterBridge.IDENTITY_HEADER)) {
        return null;
      }
      ChannelPromise promise = (ChannelPromise) arguments[arguments.length - 1];
      CharSequence grant = headers.get(AlterBridge.GRANT_HEADER);
      promise.tryFailure(
          new AlterCredentialException(
              AlterCredentialException.INTERNAL_ERROR,
              grant == null ? null : grant.toString(),
              "this Netty HTTP/2 client writes its headers without Netty's HTTP codecs, which"
                  + " Alter does not hook",
              "use Reactor Netty (Spring WebClient), the JDK HttpClient, OkHttp or Apache"
                  + " HttpClient 5 for tagged HTTP/2 requests, or HTTP/1.1 with this client"));
      UnhookedNettyClients.warnOnce(arguments[0]);
      return promise;
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter ChannelPromise refused,
        @Advice.Return(readOnly = false) ChannelFuture written) {
      if (refused != null) {
        written = refused;
      }
    }
  }
}
