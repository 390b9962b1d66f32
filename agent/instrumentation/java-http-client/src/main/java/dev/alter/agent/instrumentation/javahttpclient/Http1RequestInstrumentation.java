package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HTTP/1.1: {@code jdk.internal.net.http.Http1Request.headers()} renders the request line and
 * header block of one hop and has already logged it ({@code jdk.httpclient.HttpClient.log=headers})
 * when it returns; the exit advice rewrites the returned bytes, so only the socket sees the
 * credential. The hop's own {@code HttpRequestImpl} (a new one per redirect) gives the origin
 * actually dialled. A failure propagates out of {@code headers()}, which makes {@code
 * Http1Exchange} fail the exchange and close the connection before anything is written.
 */
public final class Http1RequestInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.Http1Request");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http1RequestInstrumentation.class, "HeadersAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("headers").and(takesNoArguments());
  }

  /** Inlined into {@code Http1Request}: JDK types and the bridge only. */
  public static final class HeadersAdvice {
    private HeadersAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.FieldValue("request") HttpRequest request,
        @Advice.Return(readOnly = false) List<ByteBuffer> block)
        throws AlterCredentialException {
      if (block == null || block.size() != 1 || request == null) {
        return;
      }
      String text = StandardCharsets.ISO_8859_1.decode(block.get(0).duplicate()).toString();
      boolean tagged = false;
      for (int nl = text.indexOf('\n'); nl >= 0 && !tagged; nl = text.indexOf('\n', nl + 1)) {
        tagged = text.regionMatches(true, nl + 1, "alter-", 0, 6);
      }
      if (!tagged) {
        return;
      }

      int lineEnd = text.indexOf("\r\n");
      String requestLine = text.substring(0, lineEnd);
      int sp1 = requestLine.indexOf(' ');
      int sp2 = requestLine.lastIndexOf(' ');
      String method = requestLine.substring(0, sp1);
      String target = requestLine.substring(sp1 + 1, sp2);

      URI uri = request.uri();
      String host = uri.getHost();
      if (host == null) {
        // registry-based authority (e.g. an underscore in the name): take it verbatim, minus
        // userinfo
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        host = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
          host = host.substring(0, colon);
        }
      }
      boolean originForm = target.startsWith("/") || target.equals("*");
      String pathAndQuery =
          originForm
              ? target
              : (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                  + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      OutgoingRequest outgoing =
          new OutgoingRequest(method, uri.getScheme(), host, uri.getPort(), pathAndQuery);

      int headersEnd = text.indexOf("\r\n\r\n", lineEnd);
      int pos = lineEnd + 2;
      while (headersEnd >= 0 && pos < headersEnd + 2) {
        int end = text.indexOf("\r\n", pos);
        String line = text.substring(pos, end);
        int colon = line.indexOf(':');
        if (colon > 0) {
          outgoing.header(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        pos = end + 2;
      }

      // the publisher this hop will send (null or absent: no body); read only by a signing secret
      outgoing.body(
          OutgoingBody.clientObject(
              OutgoingBody.JDK_PUBLISHER, request.bodyPublisher().orElse(null)));

      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);
      // the hop's HttpRequestImpl is the one its Response is built with
      AwaitedResponses.expect(request, outgoing);

      StringBuilder out = new StringBuilder(text.length() + 128);
      String newTarget = target;
      if (rewrite.pathAndQuery() != null) {
        newTarget =
            originForm
                ? rewrite.pathAndQuery()
                : uri.getScheme()
                    + "://"
                    + uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1)
                    + rewrite.pathAndQuery();
      }
      out.append(method)
          .append(' ')
          .append(newTarget)
          .append(requestLine.substring(sp2))
          .append("\r\n");
      List<String> names = outgoing.headerNames();
      List<String> values = outgoing.headerValues();
      for (int i = 0; i < names.size(); i++) {
        if (!rewrite.removes(names.get(i))) {
          out.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        out.append(rewrite.addName(i)).append(": ").append(rewrite.addValue(i)).append("\r\n");
      }
      out.append("\r\n");
      block = List.of(ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }
  }
}
