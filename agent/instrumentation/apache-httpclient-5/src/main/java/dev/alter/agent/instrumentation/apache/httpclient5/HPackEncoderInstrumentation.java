package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.CommittingRequest;
import dev.alter.agent.bootstrap.DialledConnection;
import dev.alter.agent.bootstrap.Http2DeclaredBody;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * HTTP/2, second half: {@code HPackEncoder.encodeHeaders(dst, headers, useHuffman)}, called by
 * {@code AbstractH2StreamMultiplexer.commitHeaders} after the stream listener saw the list. For a
 * request block (it has {@code :method}) on a client connection the encoder gets a new list: the
 * pseudo-headers as they were ({@code :path} replaced only for query-parameter injection), the
 * application's headers minus {@code alter-*} and those the secret owns, then the injected ones,
 * lower-case and sensitive so HPACK never indexes them. Huffman coding is switched off for that one
 * block so the frame and wire loggers see the value as text and can mask it.
 *
 * <p>The request was decided before its stream committed anything ({@link
 * H2StreamChannelInstrumentation}): a refused one never gets here, and an accepted one's rewrite is
 * taken as handed over, not asked for again. A tagged request block that did not pass that hook is
 * decided here instead, still failing closed; but a refusal thrown from inside the multiplexer is a
 * connection failure to HttpCore (GOAWAY, whose debug text is the exception message: grant id and
 * code, never a credential; sibling streams fail with it).
 */
public final class HPackEncoderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.core5.http2.hpack.HPackEncoder");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            HPackEncoderInstrumentation.class, "EncodeRewrittenHeadersAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("encodeHeaders").and(isPublic()).and(takesArguments(3));
  }

  public static final class EncodeRewrittenHeadersAdvice {
    private EncodeRewrittenHeadersAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 1, readOnly = false) List<? extends Header> headers,
        @Advice.Argument(value = 2, readOnly = false) boolean useHuffman)
        throws IOException {
      if (headers == null) {
        return;
      }
      boolean tagged = false;
      String method = null;
      String path = null;
      String grant = null;
      for (int i = 0; i < headers.size(); i++) {
        Header header = headers.get(i);
        String name = header.getName();
        if (AlterBridge.isAlterHeader(name)) {
          tagged = true;
          if (grant == null && name.equalsIgnoreCase(AlterBridge.GRANT_HEADER)) {
            grant = header.getValue();
          }
        } else if (":method".equals(name)) {
          method = header.getValue();
        } else if (":path".equals(name)) {
          path = header.getValue();
        }
      }
      if (!tagged || method == null) {
        return; // untagged, or not a request block (responses, trailers)
      }
      RequestRewrite rewrite = (RequestRewrite) PreparedRequest.replacementFor(headers);
      if (rewrite == null) {
        // a request block that did not pass H2StreamChannelInstrumentation: decided here, where a
        // refusal fails the whole connection
        Object connection = DialledConnection.current();
        OutgoingRequest outgoing =
            connection instanceof HttpConnection
                ? DialledConnection.request(
                    method,
                    ((HttpConnection) connection).getSSLSession(),
                    ((HttpConnection) connection).getRemoteAddress(),
                    path)
                : null;
        if (outgoing == null) {
          throw new AlterCredentialException(
              AlterCredentialException.HOST_NOT_ALLOWED,
              grant,
              "the origin this HTTP/2 connection dialled could not be determined",
              "send tagged requests through HttpAsyncClient's own connection managers");
        }
        for (int i = 0; i < headers.size(); i++) {
          Header header = headers.get(i);
          if (!header.getName().startsWith(":")) {
            outgoing.header(header.getName(), header.getValue());
          }
        }
        if (CommittingRequest.isCommittingAny()) {
          // the stream handler committing this request marked the entity producer it will send
          Object body = CommittingRequest.body();
          outgoing.body(
              body == null
                  ? OutgoingBody.none()
                  : body instanceof AsyncEntityProducer
                      ? OutgoingBody.clientObject(OutgoingBody.APACHE5_ASYNC, body)
                      : OutgoingBody.streamed(((EntityDetails) body).getContentLength()));
        } else {
          // not committed by the client stream handler: what the head declares
          outgoing.body(Http2DeclaredBody.of(outgoing));
        }
        rewrite = AlterBridge.rewrite(outgoing);
        // the stream handler committing this request reads its response head
        // (H2StreamHandlerInstrumentation)
        AwaitedResponses.expectForWritten(outgoing);
      }

      List<Header> rewritten = new ArrayList<>(headers.size() + rewrite.addCount());
      for (int i = 0; i < headers.size(); i++) {
        Header header = headers.get(i);
        String name = header.getName();
        if (name.startsWith(":")) {
          rewritten.add(
              ":path".equals(name) && rewrite.pathAndQuery() != null
                  ? new BasicHeader(":path", rewrite.pathAndQuery(), true)
                  : header);
        } else if (!rewrite.removes(name)) {
          rewritten.add(header);
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        WireLogRedaction.remember(rewrite.addValue(i));
        rewritten.add(
            new BasicHeader(
                rewrite.addName(i).toLowerCase(Locale.ROOT), rewrite.addValue(i), true));
      }
      WireLogRedaction.rememberChangedPart(path, rewrite.pathAndQuery());
      headers = rewritten;
      useHuffman = false;
    }
  }
}
