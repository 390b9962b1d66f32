package dev.alter.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.bootstrap.WireLogRedaction;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import sun.net.www.MessageHeader;

/**
 * {@code sun.net.www.http.HttpClient.writeRequests(MessageHeader[, PosterOutputStream])}: the point
 * where {@code HttpURLConnection.writeRequests()} (plain and HTTPS, first request, every redirect
 * hop, every retry) hands its header block to the socket, after the connection has added its
 * standard headers and logged the block at FINE. The three-argument variant delegates to the
 * two-argument one, so hooking that covers streaming (fixed-length and chunked) requests.
 *
 * <p>For a tagged block the writer is given a rewritten copy: the connection's own {@code requests}
 * header, which {@code getRequestProperty}/{@code getRequestProperties} read before and after
 * connect, is never changed, so it never holds the credential, keeps {@code alter-grant} for the
 * next redirect hop and is checked again there. The destination is the URL this HttpClient was
 * opened for ({@code HttpClient.url}, one per hop), i.e. the origin actually dialled (a proxy, if
 * any, is only the transport). CONNECT requests to a proxy carry a fresh header block without
 * application headers, so they are never touched.
 *
 * <p>A refusal throws {@link AlterCredentialException} before a byte of the block is printed;
 * {@code HttpURLConnection} passes it unchanged to the caller of {@code getResponseCode()}, {@code
 * getInputStream()} or {@code getOutputStream()} (streaming mode).
 */
public final class HttpClientWriteRequestsInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.net.www.http.HttpClient");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder
        .visit(
            AdviceFromClassFile.on(
                HttpClientWriteRequestsInstrumentation.class,
                "WriteRewrittenCopyAdvice",
                hookedMethods()))
        .visit(
            AdviceFromClassFile.on(
                HttpClientWriteRequestsInstrumentation.class,
                "ResponseStatusAdvice",
                named("parseHTTP").and(takesArgument(0, named("sun.net.www.MessageHeader")))));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("writeRequests")
        .and(takesArgument(0, named("sun.net.www.MessageHeader")))
        .and(takesArguments(1).or(takesArguments(2)));
  }

  public static final class WriteRewrittenCopyAdvice {
    private WriteRewrittenCopyAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false) MessageHeader head,
        @Advice.FieldValue("url") URL url,
        @Advice.FieldValue(value = "capture", typing = Assigner.Typing.DYNAMIC) Object capture,
        @Advice.FieldValue("streaming") boolean streaming,
        @Advice.Argument(value = 1, optional = true) ByteArrayOutputStream poster)
        throws IOException {
      if (head == null
          || head.getKey(AlterBridge.GRANT_HEADER) < 0
              && head.getKey(AlterBridge.IDENTITY_HEADER) < 0) {
        return;
      }
      // index 0 is the request line ("GET /p?q HTTP/1.1", absolute-form through a plain proxy)
      String requestLine = head.getValue(0) == null ? head.getKey(0) : null;
      int firstSpace = requestLine == null ? -1 : requestLine.indexOf(' ');
      int lastSpace = requestLine == null ? -1 : requestLine.lastIndexOf(' ');
      if (url == null || firstSpace <= 0 || lastSpace <= firstSpace) {
        throw new AlterCredentialException(
            AlterCredentialException.HOST_NOT_ALLOWED,
            head.findValue(AlterBridge.GRANT_HEADER),
            "the request line or the origin of this HttpURLConnection request could not be read",
            "report this; tagged requests are only sent when their destination is known");
      }
      String method = requestLine.substring(0, firstSpace);
      String target = requestLine.substring(firstSpace + 1, lastSpace);
      String targetPrefix = "";
      if (!target.startsWith("/")) {
        int authority = target.indexOf("://");
        int path = authority < 0 ? -1 : target.indexOf('/', authority + 3);
        targetPrefix = path < 0 ? target : target.substring(0, path);
        target = path < 0 ? "/" : target.substring(path);
      }
      OutgoingRequest outgoing =
          new OutgoingRequest(method, url.getProtocol(), url.getHost(), url.getPort(), target);
      for (int i = 1; ; i++) {
        String name = head.getKey(i);
        String value = head.getValue(i);
        if (name == null && value == null) {
          break;
        }
        if (name != null) {
          outgoing.header(name, value == null ? "" : value);
        }
      }

      if (poster != null) {
        // default (buffered) mode: the whole body is in the PosterOutputStream, written after the
        // header block. Its buffer is protected, so this is the one copy of it (tagged requests
        // only).
        byte[] buffered = poster.toByteArray();
        outgoing.body(OutgoingBody.bytes(buffered, 0, buffered.length));
      } else if (streaming) {
        // fixed-length or chunked streaming: the body follows through the app's output stream
        String declared = head.findValue("Content-Length");
        long length = -1L;
        try {
          length = declared == null ? -1L : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
          length = -1L;
        }
        outgoing.body(OutgoingBody.streamed(length));
      } else {
        outgoing.body(OutgoingBody.none());
      }

      RequestRewrite rewrite = AlterBridge.rewrite(outgoing);
      // this HttpClient (one per hop) parses the response head next
      AwaitedResponses.expect(client, outgoing);

      MessageHeader copy = new MessageHeader();
      copy.add(
          rewrite.pathAndQuery() == null
              ? requestLine
              : method
                  + " "
                  + targetPrefix
                  + rewrite.pathAndQuery()
                  + requestLine.substring(lastSpace),
          null);
      for (int i = 1; ; i++) {
        String name = head.getKey(i);
        String value = head.getValue(i);
        if (name == null && value == null) {
          break;
        }
        if (name == null || !rewrite.removes(name)) {
          copy.add(name, value);
        }
      }
      for (int i = 0; i < rewrite.addCount(); i++) {
        copy.add(rewrite.addName(i), rewrite.addValue(i));
        if (capture != null) {
          // -Dsun.net.http.captureRules copies this connection's raw bytes to a file
          WireLogRedaction.remember(rewrite.addValue(i));
        }
      }
      if (capture != null) {
        WireLogRedaction.rememberChangedPart(target, rewrite.pathAndQuery());
      }
      head = copy;
    }
  }

  /**
   * {@code parseHTTP(MessageHeader, …)} has read a response head (1xx included) into its first
   * argument, whose entry 0 is the status line: tells the usage counters what the provider answered
   * an injected request.
   */
  public static final class ResponseStatusAdvice {
    private ResponseStatusAdvice() {}

    @Advice.OnMethodExit
    public static void exit(
        @Advice.This Object client, @Advice.Argument(0) MessageHeader responses) {
      if (!AwaitedResponses.anyAwaited() || responses == null) {
        return;
      }
      String statusLine = responses.getValue(0);
      int space = statusLine == null ? -1 : statusLine.indexOf(' ');
      if (space < 0 || statusLine.length() < space + 4 || !statusLine.startsWith("HTTP/")) {
        return;
      }
      int status;
      try {
        status = Integer.parseInt(statusLine.substring(space + 1, space + 4));
      } catch (NumberFormatException e) {
        return;
      }
      AwaitedResponses.responded(client, status);
    }
  }
}
