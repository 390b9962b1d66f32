package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.HeldWrites;
import dev.alter.agent.bootstrap.Http2RequestHeaders;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.ssl.SslHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code AbstractHttp2StreamChannel.Http2ChannelUnsafe.write(msg, promise)}: where a frame written
 * on an HTTP/2 stream channel ({@code Http2MultiplexHandler}'s children) leaves the stream for the
 * connection's frame codec, after every handler of the stream's pipeline and before the stream has
 * an identifier. Clients that write {@code Http2HeadersFrame}s themselves (AsyncHttpClient 3) get
 * here with {@code alter-*} headers; frames that came through the hooked stream codec (Reactor
 * Netty) are already rewritten and pass.
 *
 * <p>A tagged HEADERS frame is replaced by a frame with a rewritten copy of its headers, bound to
 * the origin the parent connection dialled. When the credential is not at hand the frame and every
 * later write of the stream are held and written again on the stream's event loop once the resolve
 * has ended; the stream has no identifier yet, so other streams of the connection go on. A refusal
 * fails the write's promise, raises {@code AlterCredentialException} on the stream's pipeline (the
 * client's handler fails the request with it) and closes the stream, which sends nothing.
 */
public final class Http2StreamChannelInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http2.AbstractHttp2StreamChannel$Http2ChannelUnsafe");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http2StreamChannelInstrumentation.class,
            "HoldOrRewriteHeadersFrameAdvice",
            named("write").and(takesArguments(2))));
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class HoldOrRewriteHeadersFrameAdvice {
    private HoldOrRewriteHeadersFrameAdvice() {}

    /** Returns true when the write was held or refused here: the method body is then skipped. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.This Object unsafe,
        @Advice.FieldValue("this$0") Channel stream,
        @Advice.Argument(value = 0, readOnly = false) Object msg,
        @Advice.Argument(1) ChannelPromise promise) {
      if (HeldWrites.isHolding(unsafe)) {
        HeldWrites.holdCall(unsafe, msg, "write", new Object[] {msg, promise});
        return true;
      }
      if (!(msg instanceof Http2HeadersFrame)) {
        return false;
      }
      Http2HeadersFrame frame = (Http2HeadersFrame) msg;
      Http2Headers headers = frame.headers();
      if (!headers.contains(AlterBridge.GRANT_HEADER)
          && !headers.contains(AlterBridge.IDENTITY_HEADER)) {
        return false;
      }
      CompletableFuture<RequestRewrite> outcome = HeldWrites.resumedOutcome(unsafe, msg);
      if (outcome == null) {
        Channel connection = stream.parent() == null ? stream : stream.parent();
        SslHandler tls = connection.pipeline().get(SslHandler.class);
        OutgoingRequest outgoing =
            Http2RequestHeaders.request(
                headers,
                frame.isEndStream(),
                tls == null ? null : tls.engine().getPeerHost(),
                tls == null ? -1 : tls.engine().getPeerPort(),
                connection.remoteAddress());
        outcome = Http2RequestHeaders.decide(outgoing, headers.get(AlterBridge.GRANT_HEADER));
        if (!outcome.isDone()) {
          HeldWrites.holdCallUntil(
              unsafe,
              stream,
              msg,
              "write",
              new Object[] {msg, promise},
              outcome,
              stream.eventLoop());
          return true;
        }
      }
      RequestRewrite rewrite;
      try {
        rewrite = outcome.getNow(null);
      } catch (CompletionException refused) {
        Throwable refusal = refused.getCause();
        promise.tryFailure(refusal);
        // the client may not watch the HEADERS write (AsyncHttpClient does not): its handler on the
        // stream gets the refusal, then the stream, which never had an identifier, closes unsent
        stream.pipeline().fireExceptionCaught(refusal);
        stream.close();
        return true;
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
      msg =
          new DefaultHttp2HeadersFrame(sent, frame.isEndStream(), frame.padding())
              .stream(frame.stream());
      return false;
    }
  }
}
