package dev.alter.bench.child;

import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** OkHttp 4.12, {@code Call.execute()}, a pool large enough for every loop thread. */
final class OkHttpLoopClient implements LoopClient {
  private final OkHttpClient client;

  OkHttpLoopClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(256);
    client =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
            .callTimeout(60, TimeUnit.SECONDS)
            .connectTimeout(30, TimeUnit.SECONDS)
            .build();
  }

  @Override
  public int get(String url, String header, String value) throws Exception {
    Request.Builder request = new Request.Builder().url(url);
    if (header != null) {
      request.header(header, value);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      response.body().bytes();
      return response.code();
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
