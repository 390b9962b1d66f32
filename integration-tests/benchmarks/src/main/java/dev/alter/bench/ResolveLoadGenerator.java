package dev.alter.bench;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import dev.alter.it.harness.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives {@code POST /v1/resolve} as many agents would: one thread per keep-alive connection,
 * each sending resolves back to back over a set of grants for a fixed duration. Only 200s
 * count; anything else is an error the benchmark refuses to hide.
 */
final class ResolveLoadGenerator {
  private static final int MAX_SAMPLES_PER_THREAD = 500_000;

  record Result(long resolves, long errors, String firstError, long elapsedNanos, long[] sortedLatencies) {
    double perSecond() {
      return resolves / (elapsedNanos / 1e9);
    }
  }

  private final URI resolveUri;
  private final String appKey;
  private final List<String> bodies = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(30)).build();

  ResolveLoadGenerator(String serviceUrl, String appKey, List<String> grants, String destinationUrl) {
    this.resolveUri = URI.create(serviceUrl + "/v1/resolve");
    this.appKey = appKey;
    // one key pair per grant, as separate agent processes would have
    for (String grant : grants) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("grant", grant);
      body.put("destination", Map.of("method", "GET", "url", destinationUrl));
      body.put("public_key", CredentialSealing.encodePublicKey(
          X25519Keys.rawPublicKey(X25519Keys.generate().getPublic())));
      bodies.add(Json.write(body));
    }
  }

  Result run(int connections, Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    long[][] samples = new long[connections][MAX_SAMPLES_PER_THREAD];
    int[] counts = new int[connections];
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      int index = c;
      Thread thread = new Thread(() -> {
        int n = 0;
        int next = index;
        while (n < MAX_SAMPLES_PER_THREAD && System.nanoTime() < deadline) {
          HttpRequest request = HttpRequest.newBuilder(resolveUri)
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + appKey)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(next++ % bodies.size())))
              .build();
          long begin = System.nanoTime();
          try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 200) {
              samples[index][n++] = System.nanoTime() - begin;
            } else {
              errors.incrementAndGet();
              firstError.compareAndSet(null, "status " + response.statusCode());
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, e.toString());
          }
        }
        counts[index] = n;
      }, "resolve-load-" + c);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - started;
    long[] all = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(samples[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(all.length, errors.get(), firstError.get(), elapsed, all);
  }
}
