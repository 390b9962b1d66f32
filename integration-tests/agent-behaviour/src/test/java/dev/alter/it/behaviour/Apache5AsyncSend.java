package dev.alter.it.behaviour;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/** {@link UsageReportingApp}'s Apache HttpClient 5 async families, HTTP/1.1 and HTTP/2. */
final class Apache5AsyncSend {
  private Apache5AsyncSend() {}

  static int get(String url, String grant) throws IOException, InterruptedException {
    return get(HttpVersionPolicy.FORCE_HTTP_1, url, grant);
  }

  /** HTTP/2 where TLS offers it (ALPN), else HTTP/1.1. */
  static int getNegotiated(String url, String grant) throws IOException, InterruptedException {
    return get(HttpVersionPolicy.NEGOTIATE, url, grant);
  }

  @SuppressWarnings("deprecation") // the one switch both 5.1 and 5.6 understand
  private static int get(HttpVersionPolicy policy, String url, String grant)
      throws IOException, InterruptedException {
    try (CloseableHttpAsyncClient client =
        HttpAsyncClients.custom().setVersionPolicy(policy).build()) {
      client.start();
      SimpleHttpResponse response =
          client
              .execute(SimpleRequestBuilder.get(url).setHeader("alter-grant", grant).build(), null)
              .get(30, TimeUnit.SECONDS);
      return response.getCode();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException
          ? (IOException) e.getCause()
          : new IOException(e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
  }
}
