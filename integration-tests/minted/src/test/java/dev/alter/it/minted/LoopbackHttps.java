package dev.alter.it.minted;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.alter.it.harness.TestCertificate;
import java.net.InetSocketAddress;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An HTTPS server on 127.0.0.1 presenting the test certificate: what the stand-ins run on. */
final class LoopbackHttps {
  private LoopbackHttps() {}

  static HttpsServer start(TestCertificate certificate, String path, HttpHandler handler) {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(certificate.keyStore(), certificate.password().toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.createContext(path, handler);
      server.start();
      return server;
    } catch (Exception e) {
      throw new IllegalStateException("stand-in did not start", e);
    }
  }
}
