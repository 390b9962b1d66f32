import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A local stand-in for a provider API (think api.datadoghq.com) for the demo: an HTTPS server on
 * 127.0.0.1 that prints every request it receives, headers included, exactly as a provider would
 * see it. Arguments: PKCS#12 key store, its password, and a file to write the bound port to.
 */
public final class StandInProvider {
  public static void main(String[] args) throws Exception {
    char[] password = args[1].toCharArray();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(args[0])) {
      keyStore.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);

    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/", exchange -> {
      StringBuilder seen = new StringBuilder();
      seen.append("provider received: ").append(exchange.getRequestMethod()).append(' ')
          .append(exchange.getRequestURI()).append('\n');
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        for (String value : header.getValue()) {
          seen.append("    ").append(header.getKey()).append(": ").append(value).append('\n');
        }
      }
      System.out.print(seen);
      System.out.flush();
      byte[] body = "{\"valid\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    Files.writeString(Path.of(args[2]), Integer.toString(server.getAddress().getPort()));
  }
}
