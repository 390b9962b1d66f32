package dev.alter.it.coexistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An ordinary app with its own Jackson, Byte Buddy and OkHttp. It uses each of them as apps do
 * (JSON round trip, a runtime-generated class, HTTP calls with OkHttp and the JDK client) and
 * prints one JSON line, written with its own Jackson, saying which library versions it ran with and
 * what happened. Arguments: the provider URL and the grant id.
 */
public final class CoexistenceApp {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String grant = args[1];
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> report = new LinkedHashMap<>();

    report.put(
        "jackson_version", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    report.put("jackson_jar", jarOf(ObjectMapper.class));
    JsonNode roundTrip =
        mapper.readTree(mapper.writeValueAsString(Map.of("order", 42, "items", new int[] {1, 2})));
    report.put(
        "jackson_round_trip",
        roundTrip.path("order").asInt() == 42 && roundTrip.path("items").size() == 2);

    report.put("bytebuddy_jar", jarOf(ByteBuddy.class));
    Object generated =
        new ByteBuddy()
            .subclass(Object.class)
            .method(ElementMatchers.named("toString"))
            .intercept(FixedValue.value("made by the app's Byte Buddy"))
            .make()
            .load(CoexistenceApp.class.getClassLoader())
            .getLoaded()
            .getDeclaredConstructor()
            .newInstance();
    report.put("bytebuddy_generated", generated.toString());

    report.put("okhttp_jar", jarOf(OkHttpClient.class));
    OkHttpClient okHttp = new OkHttpClient();
    report.put("okhttp_untagged", okHttpCall(okHttp, url + "/okhttp/untagged", null));
    report.put("okhttp_tagged", okHttpCall(okHttp, url + "/okhttp/tagged", grant));

    HttpClient jdk = HttpClient.newHttpClient();
    HttpResponse<String> jdkResponse =
        jdk.send(
            HttpRequest.newBuilder(URI.create(url + "/jdk/tagged"))
                .header("alter-grant", grant)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    report.put("jdk_tagged", jdkResponse.statusCode());

    System.out.println(mapper.writeValueAsString(report));
  }

  private static Object okHttpCall(OkHttpClient client, String url, String grant) {
    Request.Builder request = new Request.Builder().url(url);
    if (grant != null) {
      request.header("alter-grant", grant);
    }
    try (Response response = client.newCall(request.build()).execute()) {
      return response.code();
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static String jarOf(Class<?> type) {
    String location = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
