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
import dev.alter.agent.bootstrap.UnsentStream;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpConnection;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http2.impl.nio.ClientH2StreamMultiplexer;

/**
 * HTTP/2, first half: {@code H2StreamChannelImpl.submit(headers, endStream)}, through which {@code
 * ClientH2StreamHandler.commitRequest} hands a stream's request header list to the multiplexer,
 * before the multiplexer takes the session lock and encodes it. The request is decided here, while
 * a refusal can still stay with its stream: it leaves as a {@link ProtocolException} whose cause is
 * the {@link AlterCredentialException}, which {@code H2Stream.produceOutput} turns into a reset of
 * this stream alone (its handler fails, {@link H2StreamHandlerInstrumentation} hands the exchange
 * the refusal itself), and nothing of the request is sent. Anything thrown from the encoder, by
 * contrast, is a connection failure. An accepted request's rewrite is handed, by the identity of
 * the header list, to {@link HPackEncoderInstrumentation}, which applies it without asking again (a
 * policy's rate counts the request once).
 *
 * <p>The stream already has an id, but the peer has never seen it: HttpCore 5.0 to 5.3 reset such
 * an (idle) stream without a frame; from 5.4 on it would send RST_STREAM, which the peer must treat
 * as a connection error, so {@link H2UnsentStreamResetInstrumentation} closes the refused stream
 * locally instead. HttpAsyncClient, for its part, closes the connection of any exchange that fails;
 * {@link H2ExecRuntimeInstrumentation} keeps it open for a refusal, which left it untouched.
 */
public final class H2StreamChannelInstrumentation implements TypeInstrumentation {
  static final String CHANNEL =
      "org.apache.hc.core5.http2.impl.nio.AbstractH2StreamMultiplexer$H2StreamChannelImpl";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(CHANNEL);
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            H2StreamChannelInstrumentation.class,
            "DecideBeforeHeadersAdvice",
            named("submit").and(isPublic()).and(takesArguments(2))));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("submit").and(isPublic()).and(takesArguments(2));
  }

  /** Inlined into HttpCore: JDK, HttpCore and bootstrap classes only. */
  public static final class DecideBeforeHeadersAdvice {
    private DecideBeforeHeadersAdvice() {}

    /**
     * @return the {@link PreparedRequest} token, or null for an untagged request
     */
    @Advice.OnMethodEnter
    public static Object enter(
        @Advice.This Object channel,
        @Advice.FieldValue("this$0") Object multiplexer,
        @Advice.Argument(0) List<? extends Header> headers)
        throws ProtocolException {
      if (headers == null || !(multiplexer instanceof ClientH2StreamMultiplexer)) {
        return null;
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
        return null;
      }
      HttpConnection connection = (HttpConnection) multiplexer;
      OutgoingRequest outgoing =
          DialledConnection.request(
              method, connection.getSSLSession(), connection.getRemoteAddress(), path);
      try {
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
        Object prepared = PreparedRequest.enter(headers, AlterBridge.rewrite(outgoing));
        // the stream handler committing this request reads its response head
        // (H2StreamHandlerInstrumentation)
        AwaitedResponses.expectForWritten(outgoing);
        return prepared;
      } catch (IOException refused) {
        UnsentStream.refused(channel);
        throw new ProtocolException(refused.getMessage(), refused);
      }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object prepared) {
      if (prepared != null) {
        PreparedRequest.exit(prepared);
      }
    }
  }
}
