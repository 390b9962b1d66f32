package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.HeldWrites;
import dev.alter.agent.bootstrap.Http2RequestHeaders;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder.writeHeaders(…)}: the last
 * point before any Netty HTTP/2 client's HEADERS frame is encoded, and the first that sees the
 * header blocks of clients that drive the connection encoder themselves (the Vert.x HTTP/2 client).
 * Requests that came through the hooked codecs or stream channels arrive here rewritten, without
 * {@code alter-*} headers, and pass untouched.
 *
 * <p>A tagged block is replaced by a rewritten copy: {@code alter-*} removed, injected headers
 * added as never-indexed values ({@link HpackEncoderInstrumentation}), bound to the origin the
 * connection dialled (the TLS engine's peer, else the remote peer; {@code :authority} is not
 * trusted). When the credential is not at hand, the block and every later HEADERS and DATA write of
 * the encoder are held ({@link HeldWrites}) and replayed in order on the connection's event loop
 * once the resolve has ended: HTTP/2 opens streams in the order of their identifiers, so streams
 * opened after the held one on the same connection wait with it; other connections never do. A
 * refusal fails the write's promise with {@code AlterCredentialException} and raises it as a stream
 * error of that stream through the connection handler ({@code onError}), which closes the stream
 * locally (its HEADERS were never sent, so no frame goes out) and lets the client fail the request
 * with the refusal in its cause chain; sibling streams are untouched.
 */
public final class Http2ConnectionEncoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    AsmVisitorWrapper headers =
        AdviceFromClassFile.on(
            Http2ConnectionEncoderInstrumentation.class,
            "HoldOrRewriteHeadersAdvice",
            named("writeHeaders")
                .and(takesArgument(2, named("io.netty.handler.codec.http2.Http2Headers"))));
    AsmVisitorWrapper data =
        AdviceFromClassFile.on(
            Http2ConnectionEncoderInstrumentation.class,
            "HoldDataBehindHeldHeadersAdvice",
            named("writeData").and(takesArgument(2, named("io.netty.buffer.ByteBuf"))));
    return builder.visit(headers).visit(data);
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class HoldOrRewriteHeadersAdvice {
    private HoldOrRewriteHeadersAdvice() {}

    /** Returns the write's promise when the write was held or refused: the body is skipped. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static ChannelFuture enter(
        @Advice.This Object encoder,
        @Advice.Origin("#m") String method,
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(1) int streamId,
        @Advice.Argument(value = 2, readOnly = false) Http2Headers headers,
        @Advice.AllArguments Object[] arguments) {
      ChannelPromise promise = (ChannelPromise) arguments[arguments.length - 1];
      if (HeldWrites.isHolding(encoder)) {
        HeldWrites.holdCall(encoder, headers, method, arguments);
        return promise;
      }
      if (headers == null
          || !headers.contains(AlterBridge.GRANT_HEADER)
              && !headers.contains(AlterBridge.IDENTITY_HEADER)) {
        return null;
      }
      CompletableFuture<RequestRewrite> outcome = HeldWrites.resumedOutcome(encoder, headers);
      if (outcome == null) {
        Channel channel = ctx.channel();
        Channel parent = channel.parent();
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null && parent != null) {
          tls = parent.pipeline().get(SslHandler.class);
        }
        SocketAddress remote = channel.remoteAddress();
        if (remote == null && parent != null) {
          remote = parent.remoteAddress();
        }
        OutgoingRequest outgoing =
            Http2RequestHeaders.request(
                headers,
                (Boolean) arguments[arguments.length - 2],
                tls == null ? null : tls.engine().getPeerHost(),
                tls == null ? -1 : tls.engine().getPeerPort(),
                remote);
        outcome = Http2RequestHeaders.decide(outgoing, headers.get(AlterBridge.GRANT_HEADER));
        if (!outcome.isDone()) {
          HeldWrites.holdCallUntil(
              encoder, channel, headers, method, arguments, outcome, ctx.executor());
          return promise;
        }
      }
      RequestRewrite rewrite;
      try {
        rewrite = outcome.getNow(null);
      } catch (CompletionException refused) {
        Throwable refusal = refused.getCause();
        promise.tryFailure(refusal);
        ChannelHandler connection = ctx.handler();
        if (connection instanceof Http2ConnectionHandler) {
          // a stream error the client's connection handler sees (Vert.x fails that stream's request
          // with it); the stream's HEADERS were never sent, so it closes without a frame
          ((Http2ConnectionHandler) connection)
              .onError(
                  ctx,
                  true,
                  Http2Exception.streamError(
                      streamId, Http2Error.CANCEL, refusal, "Alter refused stream %d", streamId));
        }
        return promise;
      }
      Http2Headers sent = new DefaultHttp2Headers();
      for (Map.Entry<CharSequence, CharSequence> header : headers) {
        if (!Http2RequestHeaders.removed(rewrite, header.getKey())) {
          sent.add(header.getKey(), header.getValue());
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        sent.add(
            Http2RequestHeaders.injectedName(rewrite, i),
            Http2RequestHeaders.injectedValue(rewrite, i));
      }
      if (rewrite.pathAndQuery() != null) {
        WireLogRedaction.rememberChangedPart(
            String.valueOf(headers.path()), rewrite.pathAndQuery());
        sent.path(rewrite.pathAndQuery());
      }
      headers = sent;
      return null;
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter ChannelFuture heldOrRefused,
        @Advice.Return(readOnly = false) ChannelFuture written) {
      if (heldOrRefused != null) {
        written = heldOrRefused;
      }
    }
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class HoldDataBehindHeldHeadersAdvice {
    private HoldDataBehindHeldHeadersAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static ChannelFuture enter(
        @Advice.This Object encoder,
        @Advice.Origin("#m") String method,
        @Advice.AllArguments Object[] arguments) {
      if (!HeldWrites.isHolding(encoder)) {
        return null;
      }
      HeldWrites.holdCall(encoder, arguments[2], method, arguments);
      return (ChannelPromise) arguments[arguments.length - 1];
    }

    @Advice.OnMethodExit
    public static void exit(
        @Advice.Enter ChannelFuture held, @Advice.Return(readOnly = false) ChannelFuture written) {
      if (held != null) {
        written = held;
      }
    }
  }
}
