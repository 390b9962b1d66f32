package dev.alter.bench;

import dev.alter.bench.child.LoopClient;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The child apps' classpath: the benchmark's own classes and the client libraries' jars, nothing
 * else from this JVM (no Jetty server, Jackson or JDBC driver in the measured app; Jetty's client
 * and the jetty-http, jetty-io and jetty-util jars it needs are there for the Jetty family).
 */
final class ClientClasspath {
  private static final List<String> ANCHORS =
      List.of(
          "okhttp3.OkHttpClient",
          "okio.Okio",
          "kotlin.jvm.internal.Intrinsics",
          "org.apache.hc.client5.http.impl.classic.HttpClients",
          "org.apache.hc.core5.http.HttpHost",
          "org.apache.hc.core5.http2.HttpVersionPolicy",
          "org.slf4j.LoggerFactory",
          "reactor.netty.http.client.HttpClient",
          "reactor.netty.Connection",
          "reactor.core.publisher.Mono",
          "org.reactivestreams.Publisher",
          "io.netty.util.ReferenceCountUtil",
          "io.netty.buffer.ByteBuf",
          "io.netty.channel.Channel",
          "io.netty.resolver.AddressResolverGroup",
          "io.netty.handler.codec.ByteToMessageDecoder",
          "io.netty.handler.codec.compression.ZlibCodecFactory",
          "io.netty.handler.codec.http.HttpObjectEncoder",
          "io.netty.handler.codec.http2.Http2FrameCodec",
          "io.netty.handler.ssl.SslHandler",
          "io.netty.handler.proxy.ProxyHandler",
          "io.netty.handler.codec.socks.SocksMessage",
          "io.netty.resolver.dns.DnsNameResolver",
          "io.netty.handler.codec.dns.DnsRecord",
          "io.netty.channel.unix.Socket",
          "io.netty.channel.epoll.Epoll",
          "org.slf4j.nop.NOPServiceProvider",
          "org.eclipse.jetty.client.HttpClient",
          "org.eclipse.jetty.alpn.client.ALPNClientConnectionFactory",
          "org.eclipse.jetty.http.HttpFields",
          "org.eclipse.jetty.io.EndPoint",
          "org.eclipse.jetty.util.Callback",
          "org.eclipse.jetty.compression.Compression",
          "org.eclipse.jetty.compression.gzip.GzipCompression");

  private ClientClasspath() {}

  static Set<Path> entries() {
    Set<Path> entries = new LinkedHashSet<>();
    entries.add(codeSource(LoopClient.class));
    for (String anchor : ANCHORS) {
      try {
        entries.add(
            codeSource(Class.forName(anchor, false, ClientClasspath.class.getClassLoader())));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            "client library missing from the benchmark's classpath: " + anchor, e);
      }
    }
    return entries;
  }

  static String asString() {
    return entries().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
