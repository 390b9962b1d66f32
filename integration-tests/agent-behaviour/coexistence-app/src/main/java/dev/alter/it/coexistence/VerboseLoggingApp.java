package dev.alter.it.coexistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.logging.HttpLoggingInterceptor;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * An app with the most verbose logging its own HTTP clients offer: Apache HttpClient 5, whose wire
 * and header logs go through SLF4J (the level is the launcher's {@code
 * org.slf4j.simpleLogger.defaultLogLevel}), Apache HttpClient 4, whose logs go through
 * commons-logging to java.util.logging (the launcher's logging configuration), and OkHttp with a
 * logging interceptor at {@code BODY} before and after its network layer, printing to stderr. It
 * makes one tagged request with each and with the JDK client, and prints one JSON line with their
 * statuses. Arguments: the provider URL and the grant id.
 */
public final class VerboseLoggingApp {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String grant = args[1];
    Map<String, Object> report = new LinkedHashMap<>();

    try (CloseableHttpClient apache = HttpClients.createDefault()) {
      HttpGet get = new HttpGet(url + "/apache/tagged");
      get.setHeader("alter-grant", grant);
      report.put(
          "apache_tagged",
          apache.execute(
              get,
              response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
              }));
    }

    try (org.apache.http.impl.client.CloseableHttpClient apache4 =
        org.apache.http.impl.client.HttpClients.createDefault()) {
      org.apache.http.client.methods.HttpGet get =
          new org.apache.http.client.methods.HttpGet(url + "/apache4/tagged");
      get.setHeader("alter-grant", grant);
      try (org.apache.http.client.methods.CloseableHttpResponse response = apache4.execute(get)) {
        org.apache.http.util.EntityUtils.consume(response.getEntity());
        report.put("apache4_tagged", response.getStatusLine().getStatusCode());
      }
    }

    HttpLoggingInterceptor okHttpLog = new HttpLoggingInterceptor(System.err::println);
    okHttpLog.setLevel(HttpLoggingInterceptor.Level.BODY);
    OkHttpClient okHttp =
        new OkHttpClient.Builder()
            .addInterceptor(okHttpLog)
            .addNetworkInterceptor(okHttpLog)
            .build();
    try (Response response =
        okHttp
            .newCall(
                new Request.Builder()
                    .url(url + "/okhttp/tagged")
                    .header("alter-grant", grant)
                    .build())
            .execute()) {
      report.put("okhttp_tagged", response.code());
    }

    HttpResponse<String> jdk =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/jdk/tagged"))
                    .header("alter-grant", grant)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    report.put("jdk_tagged", jdk.statusCode());

    System.out.println(new ObjectMapper().writeValueAsString(report));
  }
}
