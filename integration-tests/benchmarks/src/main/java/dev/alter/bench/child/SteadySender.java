package dev.alter.bench.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The app of the live-control benchmark: sends a tagged GET at a steady rate, one at a time, so the
 * stand-in provider's arrival times show when the agent stopped injecting a revoked grant or
 * started injecting a rotated value. Commands on stdin, one per line: {@code run GRANT INTERVAL_MS
 * MILLIS}, answered with a JSON line (sent, ok, failed, the first failure). Exits when stdin
 * closes.
 *
 * <pre>SteadySender URL</pre>
 */
public final class SteadySender {
  private SteadySender() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: SteadySender URL");
    }
    URI url = URI.create(args[0]);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = commands.readLine()) != null) {
      String[] command = line.trim().split("\\s+");
      if (command.length == 4 && command[0].equals("run")) {
        run(http, url, command[1], Long.parseLong(command[2]), Long.parseLong(command[3])).print();
      } else if (!line.isBlank()) {
        new JsonLine().put("error", "unknown command: " + line).print();
      }
    }
  }

  private static JsonLine run(
      HttpClient http, URI url, String grant, long intervalMillis, long millis)
      throws InterruptedException {
    long sent = 0;
    long ok = 0;
    long failed = 0;
    String firstError = null;
    long next = System.nanoTime();
    long deadline = next + millis * 1_000_000L;
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("alter-grant", grant)
            .timeout(Duration.ofSeconds(10))
            .build();
    while (System.nanoTime() < deadline) {
      sent++;
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          ok++;
        } else {
          failed++;
        }
      } catch (IOException e) {
        // a refusal (e.g. grant_revoked) fails the request before anything is sent
        failed++;
        if (firstError == null) {
          firstError = String.valueOf(e.getMessage());
        }
      }
      next += intervalMillis * 1_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      }
    }
    return new JsonLine()
        .put("sent", sent)
        .put("ok", ok)
        .put("failed", failed)
        .put("first_error", firstError);
  }
}
