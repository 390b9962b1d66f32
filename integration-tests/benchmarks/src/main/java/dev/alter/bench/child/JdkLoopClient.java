package dev.alter.bench.child;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code java.net.http.HttpClient}, HTTP/1.1 (no h2c upgrade attempt on plain HTTP). Timeouts (in
 * every family) only bound a stuck run; they are generous because a loaded machine is slow.
 */
final class JdkLoopClient implements LoopClient {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  @Override
  public int get(String url, String header, String value) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
    if (header != null) {
      request.header(header, value);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
  }

  @Override
  public void close() {
    // the JDK 17 client has no close(); its threads are daemons
  }
}
