package dev.alter.bench.child;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient}); each loop iteration waits for its
 * response, so the loop measures the same request/response cycle as the other families.
 */
final class ApacheAsyncLoopClient implements LoopClient {
  private final CloseableHttpAsyncClient client =
      HttpAsyncClients.custom()
          .setConnectionManager(
              PoolingAsyncClientConnectionManagerBuilder.create()
                  .setMaxConnTotal(64)
                  .setMaxConnPerRoute(64)
                  .build())
          .build();

  ApacheAsyncLoopClient() {
    client.start();
  }

  @Override
  public int get(String url, String header, String value) throws Exception {
    SimpleRequestBuilder request = SimpleRequestBuilder.get(url);
    if (header != null) {
      request.addHeader(header, value);
    }
    SimpleHttpRequest built = request.build();
    return client.execute(built, null).get(60, TimeUnit.SECONDS).getCode();
  }

  @Override
  public void close() {
    client.close(CloseMode.GRACEFUL);
  }
}
