package dev.alter.it.behaviour;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;

/**
 * {@link UsageReportingApp}'s Jetty HttpClient 12 family (HTTP/1.1 over TLS), in a class of its own
 * so the other families' children run without Jetty on their class path. The client trusts what the
 * JVM trusts (the test's trust store).
 */
final class JettySend {
  private static HttpClient client;

  private JettySend() {}

  static int get(String url, String grant) throws IOException {
    try {
      if (client == null) {
        client = new HttpClient();
        client.start();
        // a bare 401 is an answer to count here, not an authentication challenge to handle (start()
        // installs the handler)
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
      }
      return client
          .newRequest(url)
          .headers(headers -> headers.put("alter-grant", grant))
          .timeout(30, TimeUnit.SECONDS)
          .send()
          .getStatus();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException ? (IOException) cause : new IOException(cause);
    } catch (InterruptedException | TimeoutException e) {
      throw new IOException(e);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
