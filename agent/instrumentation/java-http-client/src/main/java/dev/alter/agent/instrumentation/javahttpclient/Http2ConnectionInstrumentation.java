package dev.alter.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.PreparedRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * HTTP/2, second half: {@code jdk.internal.net.http.Http2Connection.encodeHeadersImpl(int,
 * HttpHeaders...)} HPACK-encodes one HEADERS frame from the pseudo-headers ({@code :method}, {@code
 * :scheme}, {@code :authority}, {@code :path}), the user headers and the system headers, after the
 * client logged them. The entry advice swaps the argument for rewritten copies that exist only for
 * this call. A request whose {@link Http2StreamInstrumentation} already decided it (the usual case)
 * takes that rewrite; only when that hook is missing is the request decided here, where a refusal
 * still sends nothing but fails every stream of the connection.
 */
public final class Http2ConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.Http2Connection");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            Http2ConnectionInstrumentation.class, "EncodeHeadersAdvice", hookedMethods()));
  }

  @Override
  public ElementMatcher<MethodDescription> hookedMethods() {
    return named("encodeHeadersImpl").and(takesArguments(2));
  }

  /**
   * Inlined into {@code Http2Connection}: JDK types (including its own module's) and the bridge
   * only.
   */
  public static final class EncodeHeadersAdvice {
    private EncodeHeadersAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 1, readOnly = false) HttpHeaders[] frames,
        @Advice.FieldValue("streams") Map<?, ?> streams)
        throws AlterCredentialException {
      if (frames == null || frames.length < 2) {
        return;
      }
      boolean tagged = false;
      for (int i = 1; i < frames.length; i++) {
        for (String name : frames[i].map().keySet()) {
          tagged |= AlterBridge.isAlterHeader(name);
        }
      }
      if (!tagged) {
        return;
      }
      HttpHeaders pseudo = frames[0];
      Object prepared = PreparedRequest.replacementFor(pseudo);
      RequestRewrite rewrite;
      if (prepared instanceof RequestRewrite) {
        rewrite = (RequestRewrite) prepared;
      } else {
        String authority = pseudo.firstValue(":authority").orElse("");
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String host = hostPort;
        int port = -1;
        int colon = hostPort.lastIndexOf(':');
        if (colon > hostPort.lastIndexOf(']')) {
          host = hostPort.substring(0, colon);
          try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
          } catch (NumberFormatException e) {
            port = 0; // never matches a destination: fails closed
          }
        }
        OutgoingRequest outgoing =
            new OutgoingRequest(
                pseudo.firstValue(":method").orElse("GET"),
                pseudo.firstValue(":scheme").orElse(""),
                host,
                port,
                pseudo.firstValue(":path").orElse("/"));
        for (int i = 1; i < frames.length; i++) {
          for (Map.Entry<String, List<String>> e : frames[i].map().entrySet()) {
            for (String value : e.getValue()) {
              outgoing.header(e.getKey(), value);
            }
          }
        }

        // The stream being encoded is registered already (sendFrame registers, then encodes) and
        // owns
        // this very pseudo-header object. Stream is package-private in this package, so its fields
        // are
        // read reflectively, which the JDK allows from this (inlined) code without opening
        // anything.
        OutgoingBody body = OutgoingBody.unknown();
        Object hop = null;
        if (streams != null) {
          try {
            for (Object stream : streams.values()) {
              Class<?> type = stream.getClass();
              while (type != null && !"jdk.internal.net.http.Stream".equals(type.getName())) {
                type = type.getSuperclass(); // pushed streams are subclasses
              }
              if (type != null
                  && type.getDeclaredField("requestPseudoHeaders").get(stream) == pseudo) {
                // the stream's HttpRequestImpl is the one its Response is built with
                hop = type.getDeclaredField("request").get(stream);
                Object publisher = type.getDeclaredField("requestPublisher").get(stream);
                body = OutgoingBody.clientObject(OutgoingBody.JDK_PUBLISHER, publisher);
                break;
              }
            }
          } catch (ReflectiveOperationException | RuntimeException e) {
            body =
                OutgoingBody
                    .unknown(); // a JDK whose Stream differs: signing treats the body as streamed
          }
        }
        outgoing.body(body);
        rewrite = AlterBridge.rewrite(outgoing);
        AwaitedResponses.expect(hop, outgoing);
      }

      HttpHeaders[] replaced = new HttpHeaders[frames.length + 1];
      TreeMap<String, List<String>> pseudoMap = new TreeMap<>(pseudo.map());
      if (rewrite.pathAndQuery() != null) {
        pseudoMap.put(":path", List.of(rewrite.pathAndQuery()));
      }
      replaced[0] = HttpHeaders.of(pseudoMap, jdk.internal.net.http.common.Utils.ACCEPT_ALL);
      for (int i = 1; i < frames.length; i++) {
        TreeMap<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, List<String>> e : frames[i].map().entrySet()) {
          if (!rewrite.removes(e.getKey())) {
            kept.put(e.getKey(), e.getValue());
          }
        }
        replaced[i] = HttpHeaders.of(kept, jdk.internal.net.http.common.Utils.ACCEPT_ALL);
      }
      TreeMap<String, List<String>> injected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 0; i < rewrite.addCount(); i++) {
        List<String> values = injected.get(rewrite.addName(i));
        if (values == null) {
          values = new ArrayList<>(1);
          injected.put(rewrite.addName(i), values);
        }
        values.add(rewrite.addValue(i));
      }
      replaced[frames.length] =
          HttpHeaders.of(injected, jdk.internal.net.http.common.Utils.ACCEPT_ALL);
      frames = replaced;
    }
  }
}
