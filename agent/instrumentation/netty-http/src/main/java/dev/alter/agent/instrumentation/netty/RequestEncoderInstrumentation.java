package dev.alter.agent.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.DialledPeer;
import dev.alter.agent.bootstrap.HeldWrites;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RefusedRequests;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.SensitiveHeaderValue;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectEncoder;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.netty.handler.codec.http.HttpObjectEncoder.write(ctx, msg, promise)}: the HTTP/1.1
 * encoder of every Netty client ({@code HttpClientCodec}, {@code HttpRequestEncoder}) receives each
 * request here, after every handler between the client and the codec. A tagged request is replaced
 * by a rewritten copy (the application's request object and its headers are never changed), bound
 * to the origin the channel dialled ({@link DialledPeer}).
 *
 * <p>The event loop never waits: when the credential is not at hand the request and every later
 * write of the same handler are held ({@link HeldWrites}) and written again on the loop when the
 * resolve has ended; a refusal fails the write's promise with {@link AlterCredentialException},
 * hands it to a client that does not watch that promise ({@link RefusedRequests}), writes nothing
 * and closes the connection. {@link Http2StreamCodecInstrumentation} weaves the same advice into
 * the HTTP/2 stream codec.
 */
public final class RequestEncoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.netty.handler.codec.http.HttpObjectEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(writeAdvice());
  }

  static net.bytebuddy.asm.AsmVisitorWrapper writeAdvice() {
    return AdviceFromClassFile.on(
        RequestEncoderInstrumentation.class,
        "HoldOrRewriteAdvice",
        named("write").and(takesArguments(3)));
  }

  /** Inlined into Netty: JDK, Netty and bootstrap classes only. */
  public static final class HoldOrRewriteAdvice {
    private HoldOrRewriteAdvice() {}

    /** Returns true when the write was held or refused here: the method body is then skipped. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(
        @Advice.This Object handler,
        @Advice.Argument(0) ChannelHandlerContext ctx,
        @Advice.Argument(value = 1, readOnly = false) Object msg,
        @Advice.Argument(2) ChannelPromise promise) {
      if (HeldWrites.isHolding(handler)) {
        HeldWrites.hold(handler, msg, promise);
        return true;
      }
      if (!(msg instanceof HttpRequest)) {
        return false;
      }
      HttpRequest request = (HttpRequest) msg;
      HttpHeaders headers = request.headers();
      if (!headers.contains(AlterBridge.GRANT_HEADER)
          && !headers.contains(AlterBridge.IDENTITY_HEADER)) {
        return false;
      }
      if (!(handler instanceof HttpObjectEncoder)
          && !handler.getClass().getName().startsWith("io.netty.handler.codec.http2.")) {
        return false; // another message codec on the way to the encoder: not the last point
      }
      CompletableFuture<RequestRewrite> outcome = HeldWrites.resumedOutcome(handler, msg);
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
            DialledPeer.request(
                request.method().name(),
                tls == null ? null : tls.engine().getPeerHost(),
                tls == null ? -1 : tls.engine().getPeerPort(),
                remote,
                request.uri());
        if (outgoing == null) {
          outcome = new CompletableFuture<>();
          outcome.completeExceptionally(
              new AlterCredentialException(
                  AlterCredentialException.HOST_NOT_ALLOWED,
                  headers.get(AlterBridge.GRANT_HEADER),
                  "the origin this Netty channel dialled cannot be told",
                  "send tagged requests over TCP or TLS connections"));
        } else {
          for (Iterator<Map.Entry<String, String>> it = headers.iteratorAsString();
              it.hasNext(); ) {
            Map.Entry<String, String> header = it.next();
            outgoing.header(header.getKey(), header.getValue());
          }
          // a full request with no content has no body (a GET); any other body's size is its
          // Content-Length, or unknown while it streams
          if (request instanceof FullHttpRequest
              && !((FullHttpRequest) request).content().isReadable()) {
            outgoing.body(OutgoingBody.none());
          }
          outcome = AlterBridge.rewriteWithoutBlocking(outgoing);
          // the channel's decoder reads this request's response head
          // (ResponseDecoderInstrumentation)
          AwaitedResponses.expectOnceRewritten(channel, outgoing);
        }
        if (!outcome.isDone()) {
          HeldWrites.holdUntil(handler, ctx, msg, promise, outcome, ctx.executor());
          return true;
        }
      }
      RequestRewrite rewrite;
      try {
        rewrite = outcome.getNow(null);
      } catch (CompletionException refused) {
        ReferenceCountUtil.release(msg);
        Throwable refusal = refused.getCause();
        promise.tryFailure(refusal);
        // a client may ignore the write's outcome (Reactor Netty does when the request goes out
        // with no body): tell it directly, then close the connection, whose codec state and
        // later writes belong to a request that was never sent
        Channel refusedOn = ctx.channel();
        Object bound =
            AttributeKey.exists(RefusedRequests.REACTOR_NETTY_CONNECTION)
                ? refusedOn
                    .attr(AttributeKey.valueOf(RefusedRequests.REACTOR_NETTY_CONNECTION))
                    .get()
                : null;
        if (!RefusedRequests.toldReactorNetty(bound, refusal)) {
          ctx.fireExceptionCaught(refusal);
        }
        refusedOn.close();
        return true;
      }
      HttpHeaders sent = headers.copy();
      for (String name : rewrite.removeHeaders()) {
        sent.remove(name);
      }
      // the HTTP/2 stream codec carries header values as they are into its HPACK encoder, which
      // then writes injected ones never indexed (HpackEncoderInstrumentation)
      boolean http2 = !(handler instanceof HttpObjectEncoder);
      for (int i = 0; i < rewrite.addCount(); i++) {
        sent.add(
            rewrite.addName(i),
            http2 ? new SensitiveHeaderValue(rewrite.addValue(i)) : rewrite.addValue(i));
        WireLogRedaction.remember(rewrite.addValue(i));
      }
      String uri = request.uri();
      if (rewrite.pathAndQuery() != null) {
        WireLogRedaction.rememberChangedPart(uri, rewrite.pathAndQuery());
        uri = rewrite.pathAndQuery();
      }
      if (msg instanceof FullHttpRequest) {
        FullHttpRequest full = (FullHttpRequest) msg;
        // the copy takes over the content as it is: the encoder releases it once, as it would have
        msg =
            new DefaultFullHttpRequest(
                full.protocolVersion(),
                full.method(),
                uri,
                full.content(),
                sent,
                full.trailingHeaders());
      } else {
        msg = new DefaultHttpRequest(request.protocolVersion(), request.method(), uri, sent);
      }
      return false;
    }
  }
}
