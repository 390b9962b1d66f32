package dev.alter.agent.instrumentation.apache.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.DialledConnection;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.net.Socket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpMessage;
import org.apache.http.HttpRequest;
import org.apache.http.RequestLine;
import org.apache.http.conn.ManagedHttpClientConnection;
import org.apache.http.message.BasicHttpRequest;
import org.apache.http.message.BasicRequestLine;

/**
 * {@code org.apache.http.impl.io.AbstractMessageWriter.write(HttpMessage)}: formats the request
 * line and every header into the session buffer, called by the connection's {@code
 * sendRequestHeader} before it logs the request to {@code org.apache.http.headers}. Every request
 * interceptor, the exec chain and {@code HttpClientContext.getRequest()} ran or hold the request
 * object before this point. For a tagged request the writer is given a rewritten {@link
 * BasicHttpRequest} copy (only the request line and headers are read from it; the entity is
 * streamed separately from the original), so no application-reachable object ever holds the
 * credential. The destination is the socket of the connection marked by {@link
 * ClientConnectionInstrumentation}: the TLS peer host for HTTPS, the connected host name otherwise.
 * Without a marked connection a tagged request fails: its origin cannot be told.
 */
public final class RequestWriterInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.io.AbstractMessageWriter");
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ClientConnectionInstrumentation.SEES_MANAGED_CONNECTION;
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            RequestWriterInstrumentation.class, "WriteRewrittenCopyAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("write").and(takesArguments(1));
  }

  public static final class WriteRewrittenCopyAdvice {
    private WriteRewrittenCopyAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 0, readOnly = false) HttpMessage message)
        throws IOException {
      if (!(message instanceof HttpRequest)
          || !(message.containsHeader(AlterBridge.GRANT_HEADER)
              || message.containsHeader(AlterBridge.IDENTITY_HEADER))) {
        return;
      }
      HttpRequest request = (HttpRequest) message;
      RequestLine line = request.getRequestLine();
      // origin-form "/p?q", or absolute-form "http://host/p?q" on a plain route through a proxy
      String target = line.getUri();
      String targetPrefix = "";
      String pathAndQuery = target;
      if (!target.startsWith("/")) {
        int authority = target.indexOf("://");
        int path = authority < 0 ? -1 : target.indexOf('/', authority + 3);
        targetPrefix = path < 0 ? target : target.substring(0, path);
        pathAndQuery = path < 0 ? "/" : target.substring(path);
      }

      Object connection = DialledConnection.current();
      OutgoingRequest outgoing = null;
      if (connection instanceof ManagedHttpClientConnection) {
        ManagedHttpClientConnection managed = (ManagedHttpClientConnection) connection;
        Socket socket = managed.getSocket();
        outgoing =
            DialledConnection.request(
                line.getMethod(),
                managed.getSSLSession(),
                socket == null ? null : socket.getRemoteSocketAddress(),
                pathAndQuery);
      }
      if (outgoing == null) {
        Header grant = request.getFirstHeader(AlterBridge.GRANT_HEADER);
        throw new AlterCredentialException(
            AlterCredentialException.HOST_NOT_ALLOWED,
            grant == null ? null : grant.getValue(),
            "the origin this connection dialled could not be determined",
            "send tagged requests through HttpClient's own connection managers");
      }
      Header[] headers = request.getAllHeaders();
      for (Header header : headers) {
        outgoing.header(header.getName(), header.getValue());
      }
      HttpEntity entity =
          request instanceof HttpEntityEnclosingRequest
              ? ((HttpEntityEnclosingRequest) request).getEntity()
              : null;
      if (entity == null) {
        outgoing.body(OutgoingBody.none());
      } else if ("org.apache.http.impl.execchain.RequestEntityProxy"
          .equals(entity.getClass().getName())) {
        // the exec chain wraps only non-repeatable entities in this proxy: reading it early would
        // consume the one body the client will send
        outgoing.body(OutgoingBody.streamed(entity.getContentLength()));
      } else {
        outgoing.body(OutgoingBody.clientObject(OutgoingBody.APACHE4, entity));
      }

      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);
      // the same connection reads this request's response head next
      AwaitedResponses.expect(connection, outgoing);

      // no string concatenation: HttpCore 4.4 is Java 6 bytecode, where javac's invokedynamic
      // cannot go
      String uri =
          rewrite.pathAndQuery() == null ? target : targetPrefix.concat(rewrite.pathAndQuery());
      BasicHttpRequest copy =
          new BasicHttpRequest(
              new BasicRequestLine(line.getMethod(), uri, line.getProtocolVersion()));
      for (Header header : headers) {
        if (!rewrite.removes(header.getName())) {
          copy.addHeader(header);
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        WireLogRedaction.remember(rewrite.addValue(i));
        copy.addHeader(rewrite.addName(i), rewrite.addValue(i));
      }
      WireLogRedaction.rememberChangedPart(target, uri);
      message = copy;
    }
  }
}
