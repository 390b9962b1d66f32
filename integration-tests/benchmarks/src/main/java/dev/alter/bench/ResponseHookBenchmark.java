package dev.alter.bench;

import com.sun.net.httpserver.HttpServer;
import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.usage.UsageCounts;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Section 13: what the usage counters' response hook adds per response. Every client family's
 * response advice makes the same call, {@code AwaitedResponses.responded(exchange, status)}; for an
 * untagged response it finds nothing awaited and returns, for an injected request it removes the
 * exchange's mark and counts the status. Both are measured in-process on the agent's classes (time
 * and bytes allocated per response, after warm-up), next to the baseline of the same run: one
 * loopback HTTP/1.1 exchange of the JDK client without the agent. The ratio is what a response
 * costs with the hook over what it costs without the agent.
 */
final class ResponseHookBenchmark {
  private static final String GRANT = "grt_0123456789abcdef0123";

  private final Settings settings;

  ResponseHookBenchmark(Settings settings) {
    this.settings = settings;
  }

  void run(Report report) throws Exception {
    double baseline = loopbackExchangeNanos();
    long[] untagged = measureUntagged();
    long[] tagged = measureTagged();
    MarkdownTable table =
        new MarkdownTable(
            "response",
            "hook ns per response",
            "bytes allocated per response",
            "response cost / no agent");
    table.row(
        "untagged (nothing awaited)",
        String.valueOf(untagged[0]),
        String.valueOf(untagged[1]),
        Format.ratio((baseline + untagged[0]) / baseline));
    table.row(
        "tagged (mark, find, count the status)",
        String.valueOf(tagged[0]),
        String.valueOf(tagged[1]),
        Format.ratio((baseline + tagged[0]) / baseline));
    report.section(
        "13. Usage counters: the response hook's cost per response",
        table,
        "Baseline (same run): one loopback HTTP/1.1 GET with the JDK HttpClient, no agent, "
            + Format.micros(baseline)
            + " per exchange over "
            + exchanges()
            + " exchanges. Hook figures: "
            + calls()
            + " calls after as many warm-up calls; the tagged row includes marking the exchange"
            + " when the request is written.");
  }

  private long exchanges() {
    return "smoke".equals(settings.mode()) ? 500 : "quick".equals(settings.mode()) ? 3_000 : 10_000;
  }

  private long calls() {
    return "smoke".equals(settings.mode()) ? 50_000 : 1_000_000;
  }

  private double loopbackExchangeNanos() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ok"))
              .build();
      long n = exchanges();
      for (long i = 0; i < n; i++) {
        client.send(request, HttpResponse.BodyHandlers.discarding());
      }
      long started = System.nanoTime();
      for (long i = 0; i < n; i++) {
        client.send(request, HttpResponse.BodyHandlers.discarding());
      }
      return (System.nanoTime() - started) / (double) n;
    } finally {
      server.stop(0);
    }
  }

  private long[] measureUntagged() {
    Object exchange = new Object();
    return measure(
        () -> {
          AwaitedResponses.responded(exchange, 200);
        });
  }

  private long[] measureTagged() {
    UsageCounts counts = new UsageCounts(System::currentTimeMillis);
    OutgoingRequest request = new OutgoingRequest("GET", "https", "api.example.com", -1, "/ok");
    long[] reported = new long[1];
    return measure(
        () -> {
          Object exchange = new Object();
          request.responseObserver(counts.injected(GRANT, GRANT, null));
          AwaitedResponses.expect(exchange, request);
          AwaitedResponses.responded(exchange, 200);
          if (++reported[0] % 100_000 == 0) {
            counts.drain(); // as the reporter does, so the counters stay as small as in an app
          }
        });
  }

  /** {ns per call, bytes per call}. */
  private long[] measure(Runnable call) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long n = calls();
    for (long i = 0; i < n; i++) {
      call.run();
    }
    long bytesBefore = threads.getThreadAllocatedBytes(id);
    long started = System.nanoTime();
    for (long i = 0; i < n; i++) {
      call.run();
    }
    long nanos = System.nanoTime() - started;
    long bytes = threads.getThreadAllocatedBytes(id) - bytesBefore;
    return new long[] {Math.max(0, nanos / n), bytes / n};
  }
}
