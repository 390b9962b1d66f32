package dev.alter.bench.child;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * Jetty's {@code HttpClient} 12 (Spring's {@code JettyClientHttpRequestFactory}), each loop thread
 * blocking on {@code send()}; enough connections per destination for every loop thread.
 */
final class JettyLoopClient implements LoopClient {
  private final HttpClient client = new HttpClient();

  JettyLoopClient() {
    client.setMaxConnectionsPerDestination(256);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty's HttpClient did not start", e);
    }
  }

  @Override
  public int get(String url, String header, String value) throws Exception {
    Request request = client.newRequest(url).timeout(60, TimeUnit.SECONDS);
    if (header != null) {
      request.headers(headers -> headers.add(header, value));
    }
    ContentResponse response = request.send();
    return response.getStatus();
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
