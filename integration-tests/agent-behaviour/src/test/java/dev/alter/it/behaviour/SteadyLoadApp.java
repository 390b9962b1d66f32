package dev.alter.it.behaviour;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@code load <intervalMs> <RequestLine>} sends the request every interval, on its own
 *       thread, until {@code stop};
 *   <li>{@code request <RequestLine>} sends one request now (beside the load) and reports its
 *       outcome;
 *   <li>{@code stop} ends the load and reports how many were sent, the statuses, and every failure
 *       (error code and message).
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
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    SteadyLoadApp app = new SteadyLoadApp();
    ChildReport.create().put("ready", true).print();
    CommandLoop.create()
        .on("load", app::load)
        .on("request", line -> app.report(app.send(RequestLine.parse(line))))
        .on("stop", ignored -> app.stop())
        .run();
    app.timer.shutdownNow();
  }

  private ChildReport load(String arguments) {
    String[] intervalAndLine = CommandLoop.firstWordAndRest(arguments);
    long interval = Long.parseLong(intervalAndLine[0]);
    RequestLine line = RequestLine.parse(intervalAndLine[1]);
    timer.scheduleAtFixedRate(() -> record(send(line)), 0, interval, TimeUnit.MILLISECONDS);
    return ChildReport.create().put("loading", true);
  }

  /** The status, or what the client threw. */
  private Object send(RequestLine line) {
    sent.incrementAndGet();
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(line.url))
              .timeout(Duration.ofSeconds(30))
              .method(line.method, HttpRequest.BodyPublishers.noBody());
      for (String[] header : line.headers) {
        builder.header(header[0], header[1]);
      }
      return client.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return e;
    }
  }

  private static String describe(Exception e) {
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
      failures.add(describe((Exception) outcome));
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
    synchronized (this) {
      Map<String, Object> byStatus = new TreeMap<>();
      statuses.forEach((status, count) -> byStatus.put(Integer.toString(status), count));
      return ChildReport.create()
          .put("sent", sent.get())
          .put("statuses", byStatus)
          .put("failed", failures.size())
          .put("failures", new ArrayList<>(failures.subList(0, Math.min(20, failures.size()))));
    }
  }
}
