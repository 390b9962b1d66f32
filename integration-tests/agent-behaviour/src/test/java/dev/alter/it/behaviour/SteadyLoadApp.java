package dev.alter.it.behaviour;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child app (JDK {@code HttpClient}) that keeps a steady tagged load going in the background
 * while the test does other things to it:
 *
 * <ul>
 *   <li>{@code load <intervalMs> <RequestLine>} sends the request every interval (or right after
 *       the last one completes, when it took longer), on its own thread, until {@code stop};
 *   <li>{@code offer <intervalMs> <RequestLine>} starts one request every interval without waiting
 *       for the ones before: the offered rate holds however slow each request is;
 *   <li>{@code request <RequestLine>} sends one request now (beside the load) and reports its
 *       outcome;
 *   <li>{@code stop} ends the load and reports how many were sent, the statuses, and the failures
 *       (each distinct message with its count).
 * </ul>
 */
public final class SteadyLoadApp {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(4);
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final Map<String, Integer> failures = new TreeMap<>();
  private int failed;

  public static void main(String[] args) throws Exception {
    SteadyLoadApp app = new SteadyLoadApp();
    ChildReport.create().put("ready", true).print();
    CommandLoop.create()
        .on("load", arguments -> app.load(arguments, false))
        .on("offer", arguments -> app.load(arguments, true))
        .on("request", line -> app.report(app.send(RequestLine.parse(line))))
        .on("stop", ignored -> app.stop())
        .run();
    app.timer.shutdownNow();
  }

  private ChildReport load(String arguments, boolean offered) {
    String[] intervalAndLine = CommandLoop.firstWordAndRest(arguments);
    long interval = Long.parseLong(intervalAndLine[0]);
    RequestLine line = RequestLine.parse(intervalAndLine[1]);
    Runnable tick = offered ? () -> sendAsync(line) : () -> record(send(line));
    timer.scheduleAtFixedRate(tick, 0, interval, TimeUnit.MILLISECONDS);
    return ChildReport.create().put("loading", true);
  }

  private void sendAsync(RequestLine line) {
    sent.incrementAndGet();
    try {
      client
          .sendAsync(request(line), HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                record(error == null ? (Object) response.statusCode() : error);
                completed.incrementAndGet();
              });
    } catch (RuntimeException e) {
      record(e);
      completed.incrementAndGet();
    }
  }

  private static HttpRequest request(RequestLine line) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(line.url))
            .timeout(Duration.ofSeconds(30))
            .method(line.method, HttpRequest.BodyPublishers.noBody());
    for (String[] header : line.headers) {
      builder.header(header[0], header[1]);
    }
    return builder.build();
  }

  /** The status, or what the client threw. */
  private Object send(RequestLine line) {
    sent.incrementAndGet();
    try {
      Object status =
          client.send(request(line), HttpResponse.BodyHandlers.discarding()).statusCode();
      completed.incrementAndGet();
      return status;
    } catch (Exception e) {
      completed.incrementAndGet();
      return e;
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof java.io.IOException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private synchronized void record(Object outcome) {
    if (outcome instanceof Integer) {
      statuses.merge((Integer) outcome, 1, Integer::sum);
    } else {
      failed++;
      String description = describe((Throwable) outcome);
      if (failures.containsKey(description) || failures.size() < 20) {
        failures.merge(description, 1, Integer::sum);
      }
    }
  }

  private ChildReport report(Object outcome) {
    record(outcome);
    return outcome instanceof Integer
        ? ChildReport.create().put("status", outcome)
        : ChildReport.create().error((Exception) outcome);
  }

  private ChildReport stop() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(60, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (completed.get() < sent.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    synchronized (this) {
      Map<String, Object> byStatus = new TreeMap<>();
      statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
      return ChildReport.create()
          .put("sent", sent.get())
          .put("unfinished", sent.get() - completed.get())
          .put("statuses", byStatus)
          .put("failed", failed)
          .put("failures", new TreeMap<>(failures));
    }
  }
}
