package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.CommittingRequest;
import dev.alter.agent.bootstrap.DialledConnection;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpMessage;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.SessionOutputBuffer;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The HTTP/1.1 head writers, classic and async: {@code org.apache.hc.core5.http.impl.io
 * .AbstractMessageWriter.write(message, buffer, outputStream)}, reached only from {@code
 * DefaultBHttpClientConnection.sendRequestHeader}, and {@code org.apache.hc.core5.http.impl
 * .nio.AbstractMessageWriter.write(message, sessionBuffer)}, reached from {@code
 * AbstractHttp1StreamDuplexer.commitMessageHead} after the stream listener logged the head. For a
 * tagged request the writer is given a rewritten copy; the request object the exec chain, {@code
 * HttpClientContext} and the headers log hold is never changed. A refusal throws before a byte is
 * buffered.
 */
public final class RequestWriterInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(
        "org.apache.hc.core5.http.impl.io.AbstractMessageWriter",
        "org.apache.hc.core5.http.impl.nio.AbstractMessageWriter");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RequestWriterInstrumentation.class, "WriteRewrittenCopyAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    // the methods request heads go through: write(HttpMessage, …), the type parameter's erasure
    // (HttpCore 5.4's blocking writer also has a write(MessageHeaders, …) that the advice meets)
    return named("write")
        .and(takesArgument(0, named("org.apache.hc.core5.http.HttpMessage")))
        .and(
            takesArguments(3)
                .and(takesArgument(1, named("org.apache.hc.core5.http.io.SessionOutputBuffer")))
                .or(
                    takesArguments(2)
                        .and(
                            takesArgument(
                                1, named("org.apache.hc.core5.http.nio.SessionOutputBuffer")))));
  }

  public static final class WriteRewrittenCopyAdvice {
    private WriteRewrittenCopyAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false) HttpMessage message,
        @Advice.Argument(1) Object buffer)
        throws IOException {
      // a blocking session buffer means the classic client, whose requests carry their entity
      boolean classic = buffer instanceof SessionOutputBuffer;
      if (!(classic ? message instanceof ClassicHttpRequest : message instanceof HttpRequest)
          || !(message.containsHeader(AlterBridge.GRANT_HEADER)
              || message.containsHeader(AlterBridge.IDENTITY_HEADER))) {
        return;
      }
      HttpRequest request = (HttpRequest) message;
      Object connection = DialledConnection.current();
      OutgoingRequest outgoing =
          connection instanceof HttpConnection
              ? DialledConnection.request(
                  request.getMethod(),
                  ((HttpConnection) connection).getSSLSession(),
                  ((HttpConnection) connection).getRemoteAddress(),
                  request.getPath())
              : null;
      if (outgoing == null) {
        Header grant = request.getFirstHeader(AlterBridge.GRANT_HEADER);
        throw new AlterCredentialException(
            AlterCredentialException.HOST_NOT_ALLOWED,
            grant == null ? null : grant.getValue(),
            "the origin this connection dialled could not be determined",
            classic
                ? "send tagged requests through HttpClient's own connection managers"
                : "send tagged requests through HttpAsyncClient's own connection managers");
      }
      Header[] headers = request.getHeaders();
      for (Header header : headers) {
        outgoing.header(header.getName(), header.getValue());
      }
      if (classic) {
        HttpEntity entity = ((ClassicHttpRequest) request).getEntity();
        if (entity == null) {
          outgoing.body(OutgoingBody.none());
        } else if ("org.apache.hc.client5.http.impl.classic.RequestEntityProxy"
            .equals(entity.getClass().getName())) {
          // HttpClient wraps only non-repeatable entities in this proxy, which claims to be
          // repeatable
          // until written: reading it early would consume the one body the client will send
          outgoing.body(OutgoingBody.streamed(entity.getContentLength()));
        } else {
          outgoing.body(OutgoingBody.clientObject(OutgoingBody.APACHE5, entity));
        }
      } else if (CommittingRequest.isCommitting(request)) {
        // the stream handler committing this request marked the entity producer it will send
        Object body = CommittingRequest.body();
        outgoing.body(
            body == null
                ? OutgoingBody.none()
                : body instanceof AsyncEntityProducer
                    ? OutgoingBody.clientObject(OutgoingBody.APACHE5_ASYNC, body)
                    : OutgoingBody.streamed(((EntityDetails) body).getContentLength()));
      } else {
        // a head committed elsewhere than by the client stream handler: the framing headers tell
        // what follows
        Header contentLength = request.getFirstHeader("Content-Length");
        Header transferEncoding = request.getFirstHeader("Transfer-Encoding");
        if (transferEncoding != null) {
          outgoing.body(OutgoingBody.streamed(-1L));
        } else if (contentLength == null) {
          outgoing.body(
              OutgoingBody.none()); // HTTP/1.1 request without framing headers has no body
        } else {
          long declared = -1L;
          try {
            declared = Long.parseLong(contentLength.getValue().trim());
          } catch (NumberFormatException e) {
            declared = -1L;
          }
          outgoing.body(declared == 0L ? OutgoingBody.none() : OutgoingBody.streamed(declared));
        }
      }
      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);
      // the connection (classic) or duplexer (async) reads this request's response head next, on
      // this thread: the caller's (classic) or the I/O reactor thread that serves the session
      // (async)
      AwaitedResponses.expectOnThisThread(connection, outgoing);

      String path = rewrite.pathAndQuery() != null ? rewrite.pathAndQuery() : request.getPath();
      BasicHttpRequest copy =
          classic
              ? new BasicClassicHttpRequest(
                  request.getMethod(), request.getScheme(), request.getAuthority(), path)
              : new BasicHttpRequest(
                  request.getMethod(), request.getScheme(), request.getAuthority(), path);
      copy.setVersion(request.getVersion());
      // proxied requests carry an absolute request target; keep the form the original had
      String requestUri = request.getRequestUri();
      copy.setAbsoluteRequestUri(requestUri != null && !requestUri.equals(request.getPath()));
      for (Header header : headers) {
        if (!rewrite.removes(header.getName())) {
          copy.addHeader(header);
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        WireLogRedaction.remember(rewrite.addValue(i));
        copy.addHeader(new BasicHeader(rewrite.addName(i), rewrite.addValue(i), true));
      }
      WireLogRedaction.rememberChangedPart(request.getPath(), rewrite.pathAndQuery());
      message = copy;
    }
  }
}
