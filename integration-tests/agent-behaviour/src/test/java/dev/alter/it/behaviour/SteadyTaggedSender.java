package dev.alter.it.behaviour;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A child app under the agent that sends one tagged GET every period: {@code run <url> <grant>
 * <periodMillis> <durationMillis>} answers how many were sent and how many failed, by error code.
 * The HTTP client is built at start, so the agent warms up and subscribes to changes before the
 * first command.
 */
public final class SteadyTaggedSender {
  private SteadyTaggedSender() {}

  public static void main(String[] args) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    System.out.println("{\"ready\":true,\"pid\":" + ProcessHandle.current().pid() + "}");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] p = line.trim().split(" ");
      if (p.length == 5 && p[0].equals("run")) {
        System.out.println(run(client, p[1], p[2], Long.parseLong(p[3]), Long.parseLong(p[4])));
      } else {
        System.out.println("{\"error\":\"unknown command\"}");
      }
      System.out.flush();
    }
  }

  private static String run(
      HttpClient client, String url, String grant, long periodMillis, long durationMillis) {
    long end = System.nanoTime() + durationMillis * 1_000_000;
    long next = System.nanoTime();
    int sent = 0;
    int ok = 0;
    Map<String, Integer> failures = new TreeMap<>();
    while (System.nanoTime() < end) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(5))
              .header("alter-grant", grant)
              .header("x-seq", Integer.toString(sent))
              .build();
      sent++;
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() < 400) {
          ok++;
        }
      } catch (Exception e) {
        String code = e.getClass().getSimpleName();
        try {
          Object c = e.getClass().getMethod("code").invoke(e);
          code = String.valueOf(c);
        } catch (ReflectiveOperationException notAlters) {
          // another IOException
        }
        failures.merge(code, 1, Integer::sum);
      }
      next += periodMillis * 1_000_000;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    StringBuilder f = new StringBuilder("{");
    for (Map.Entry<String, Integer> e : failures.entrySet()) {
      if (f.length() > 1) f.append(',');
      f.append('"')
          .append(e.getKey().toLowerCase(java.util.Locale.ROOT))
          .append("\":")
          .append(e.getValue());
    }
    f.append('}');
    return "{\"sent\":" + sent + ",\"ok\":" + ok + ",\"failures\":" + f + "}";
  }
}
