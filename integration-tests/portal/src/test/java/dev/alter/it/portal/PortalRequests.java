package dev.alter.it.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Requests to the portal outside the browser, for what a browser would not send: a form without its
 * CSRF token, a stale session cookie, many failed sign-ins. Redirects are not followed.
 */
final class PortalRequests {
  private static final Pattern SIGN_IN_TOKEN =
      Pattern.compile("name=\"sign_in_token\" value=\"([^\"]+)\"");
  private static final Pattern SIGN_IN_COOKIE = Pattern.compile("alter_portal_signin=([^;]+)");

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  PortalRequests(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> get(String path, String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET();
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return send(request.build());
  }

  HttpResponse<String> post(String path, String cookie, Map<String, String> form) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return send(request.build());
  }

  /** Fetches the sign-in form (its token and cookie) and posts {@code adminKey} with them. */
  HttpResponse<String> signIn(String adminKey) {
    HttpResponse<String> form = get("/portal/sign-in", null);
    Matcher token = SIGN_IN_TOKEN.matcher(form.body());
    Matcher cookie = SIGN_IN_COOKIE.matcher(form.headers().firstValue("Set-Cookie").orElseThrow());
    if (!token.find() || !cookie.find()) {
      throw new IllegalStateException("no sign-in token in the sign-in form");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("sign_in_token", token.group(1));
    fields.put("admin_key", adminKey);
    return post("/portal/sign-in", "alter_portal_signin=" + cookie.group(1), fields);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
