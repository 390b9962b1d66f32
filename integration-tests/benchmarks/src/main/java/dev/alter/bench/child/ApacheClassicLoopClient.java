package dev.alter.bench.child;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Apache HttpClient 5 classic ({@code CloseableHttpClient}), pooled connections. */
final class ApacheClassicLoopClient implements LoopClient {
  private final CloseableHttpClient client =
      HttpClients.custom()
          .setConnectionManager(
              PoolingHttpClientConnectionManagerBuilder.create()
                  .setMaxConnTotal(64)
                  .setMaxConnPerRoute(64)
                  .build())
          .build();

  @Override
  public int get(String url, String header, String value) throws Exception {
    HttpGet request = new HttpGet(url);
    if (header != null) {
      request.addHeader(header, value);
    }
    return client.execute(
        request,
        response -> {
          EntityUtils.consume(response.getEntity());
          return response.getCode();
        });
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
