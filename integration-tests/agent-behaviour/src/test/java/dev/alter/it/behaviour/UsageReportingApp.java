package dev.alter.it.behaviour;

import dev.alter.it.child.ChildReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * A child app that sends one tagged GET per URL through one client family ({@code jdk}, {@code
 * jdk-h2}, {@code okhttp}, {@code okhttp-http1}, {@code apache5}, {@code apache5-async}, {@code
 * apache4}, {@code urlconnection}, {@code netty}, {@code netty-h2} or {@code jetty}), prints the
 * statuses it saw (-1 and the Alter code for a refused request) and exits, which makes the agent
 * send its last usage report.
 */
public final class UsageReportingApp {
  private UsageReportingApp() {}

  public static void main(String[] args) throws Exception {
    String family = args[0];
    String grant = args[1];
    List<Object> statuses = new ArrayList<>();
    List<Object> refusals = new ArrayList<>();
    HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    OkHttpClient okhttp = new OkHttpClient();
    try (CloseableHttpClient apache = HttpClients.createDefault()) {
      for (int i = 2; i < args.length; i++) {
        String url = args[i];
        try {
          statuses.add(send(family, url, grant, jdk, okhttp, apache));
        } catch (IOException e) {
          statuses.add(-1);
          refusals.add(String.valueOf(e.getMessage()));
        }
      }
    }
    ChildReport.create().put("statuses", statuses).put("refusals", refusals).print();
    System.exit(0);
  }

  private static int send(
      String family,
      String url,
      String grant,
      HttpClient jdk,
      OkHttpClient okhttp,
      CloseableHttpClient apache)
      throws IOException, InterruptedException {
    switch (family) {
      case "jdk":
        return jdk.send(
                HttpRequest.newBuilder(URI.create(url)).header("alter-grant", grant).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      case "jdk-h2":
        return HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url)).header("alter-grant", grant).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      case "okhttp":
        try (okhttp3.Response response =
            okhttp
                .newCall(new Request.Builder().url(url).header("alter-grant", grant).build())
                .execute()) {
          return response.code();
        }
      case "okhttp-http1":
        try (okhttp3.Response response =
            new OkHttpClient.Builder()
                .protocols(java.util.Collections.singletonList(okhttp3.Protocol.HTTP_1_1))
                .build()
                .newCall(new Request.Builder().url(url).header("alter-grant", grant).build())
                .execute()) {
          return response.code();
        }
      case "apache5":
        HttpGet get = new HttpGet(url);
        get.setHeader("alter-grant", grant);
        return apache.execute(get, response -> response.getCode());
      case "apache5-async":
        return Apache5AsyncSend.get(url, grant);
      case "apache5-async-h2":
        return Apache5AsyncSend.getNegotiated(url, grant);
      case "apache4":
        org.apache.http.client.methods.HttpGet get4 =
            new org.apache.http.client.methods.HttpGet(url);
        get4.setHeader("alter-grant", grant);
        try (org.apache.http.impl.client.CloseableHttpClient apache4 =
                org.apache.http.impl.client.HttpClients.createDefault();
            org.apache.http.client.methods.CloseableHttpResponse response = apache4.execute(get4)) {
          return response.getStatusLine().getStatusCode();
        }
      case "urlconnection":
        java.net.HttpURLConnection connection =
            (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("alter-grant", grant);
        try {
          return connection.getResponseCode();
        } finally {
          connection.disconnect();
        }
      case "netty":
        return ReactorNettySend.get(url, grant);
      case "netty-h2":
        return ReactorNettySend.getOverHttp2(url, grant);
      case "jetty":
        return JettySend.get(url, grant);
      default:
        throw new IllegalArgumentException("unknown family " + family);
    }
  }
}
