package dev.alter.bench;

import dev.alter.contract.WireFormat;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many change-feed subscribers in this JVM, each doing what the agent's subscription does on the
 * wire and nothing else: {@code POST /v1/changes} signed with the app key's proof key (as the agent
 * signs), an event stream read line by line without a thread of its own, and the agent's heartbeat
 * ({@code POST /v1/changes/heartbeat}) at the interval the service announced. Each records when it
 * saw a change naming the grant it is told to watch for.
 */
final class LightSubscribers implements AutoCloseable {
  private final URI changes;
  private final URI heartbeat;
  private final ProofKey key;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
  private volatile String watchedGrant;
  private volatile boolean closing;
  private final java.util.concurrent.atomic.AtomicInteger reconnects =
      new java.util.concurrent.atomic.AtomicInteger();

  LightSubscribers(String baseUrl, String appKey) {
    this.changes = URI.create(baseUrl + WireFormat.CHANGES_PATH);
    this.heartbeat = URI.create(baseUrl + WireFormat.CHANGES_HEARTBEAT_PATH);
    this.key = ProofKey.fromKey(appKey);
  }

  /** Opens {@code count} subscriptions, {@code parallel} at a time; returns once all said hello. */
  void open(int count, int parallel) throws InterruptedException {
    for (int i = 0; i < count; i += parallel) {
      List<Subscriber> batch = new ArrayList<>();
      for (int j = i; j < Math.min(count, i + parallel); j++) {
        Subscriber s = new Subscriber(j);
        batch.add(s);
        subscribers.add(s);
        s.connect();
      }
      for (Subscriber s : batch) {
        s.awaitHello();
      }
    }
    beats.scheduleAtFixedRate(this::beat, 1, 1, TimeUnit.SECONDS);
  }

  int size() {
    return subscribers.size();
  }

  /** How often a stream ended and its subscriber subscribed again (resuming from its sequence). */
  int reconnects() {
    return reconnects.get();
  }

  /** From now, each subscriber records when it sees a change naming {@code grant}. */
  void watch(String grant) {
    for (Subscriber s : subscribers) {
      s.sawAtNanos = 0;
    }
    watchedGrant = "\"" + grant + "\"";
  }

  /** The arrival times (nanoTime) of the watched change, once every subscriber has seen it. */
  long[] awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long[] seen = new long[subscribers.size()];
      int missing = 0;
      for (int i = 0; i < seen.length; i++) {
        Subscriber s = subscribers.get(i);
        seen[i] = s.sawAtNanos;
        if (seen[i] == 0) {
          missing++;
        }
      }
      if (missing == 0) {
        return seen;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            missing
                + " of "
                + seen.length
                + " subscribers did not see the change within "
                + timeout);
      }
      Thread.sleep(2);
    }
  }

  private void beat() {
    long now = System.nanoTime();
    for (Subscriber s : subscribers) {
      if (s.connectionId != null
          && !s.ended
          && now - s.lastBeatNanos >= s.heartbeatSeconds * 1_000_000_000L - 100_000_000L) {
        s.lastBeatNanos = now;
        byte[] body =
            ("{\"connection_id\":\"" + s.connectionId + "\"}").getBytes(StandardCharsets.UTF_8);
        http.sendAsync(signed(heartbeat, body), HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  private HttpRequest signed(URI uri, byte[] body) {
    String authorization =
        RequestSigning.sign(
                key,
                null,
                "POST",
                uri,
                body,
                System.currentTimeMillis() / 1000,
                RequestSigning.newNonce())
            .format();
    return HttpRequest.newBuilder(uri)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream, application/problem+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  @Override
  public void close() {
    closing = true;
    beats.shutdownNow();
    for (Subscriber s : subscribers) {
      s.cancel();
    }
  }

  /** One subscription's event stream. */
  private final class Subscriber implements Flow.Subscriber<String> {
    private final int number;
    private final CompletableFuture<Void> hello = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private String event = "message";
    volatile String connectionId;
    volatile int heartbeatSeconds = 2;
    volatile long lastBeatNanos = System.nanoTime();
    volatile long sawAtNanos;
    volatile boolean ended;
    volatile String why;
    volatile long seq = -1;
    private volatile boolean helloSeen;

    Subscriber(int number) {
      this.number = number;
    }

    void connect() {
      ended = false;
      connectionId = null;
      byte[] body =
          ("{\"since\":"
                  + seq
                  + ",\"host_name\":\"bench-subscriber\",\"pid\":"
                  + number
                  + ",\"agent_version\":\"bench\"}")
              .getBytes(StandardCharsets.UTF_8);
      http.sendAsync(
              signed(changes, body),
              info ->
                  info.statusCode() == 200
                      ? HttpResponse.BodySubscribers.fromLineSubscriber(this)
                      : HttpResponse.BodySubscribers.discarding())
          .whenComplete(
              (response, error) -> {
                if (error != null || response.statusCode() != 200) {
                  end(error != null ? error.toString() : "HTTP " + response.statusCode());
                }
              });
    }

    void awaitHello() throws InterruptedException {
      try {
        hello.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("subscriber " + number + " got no hello: " + why, e);
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        String at = field(line, "seq");
        if (at != null && !at.isEmpty() && Long.parseLong(at) > seq) {
          seq = Long.parseLong(at);
        }
        if (event.equals("change")) {
          String grant = watchedGrant;
          if (grant != null && sawAtNanos == 0 && line.contains(grant)) {
            sawAtNanos = System.nanoTime();
          }
        } else if (event.equals("hello")) {
          connectionId = field(line, "connection_id");
          String beat = field(line, "heartbeat_seconds");
          if (beat != null) {
            heartbeatSeconds = Integer.parseInt(beat);
          }
          helloSeen = true;
          hello.complete(null);
        }
      } else if (line.isEmpty()) {
        event = "message";
      }
    }

    @Override
    public void onError(Throwable t) {
      end(t.toString());
    }

    @Override
    public void onComplete() {
      end("stream ended");
    }

    private void end(String reason) {
      why = reason;
      ended = true;
      if (!helloSeen) {
        hello.completeExceptionally(new IllegalStateException(reason));
      } else if (!closing) {
        // what the agent does: subscribe again at once, resuming from the last sequence read
        reconnects.incrementAndGet();
        beats.schedule(this::connect, 100, TimeUnit.MILLISECONDS);
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** A string or number field of a one-line JSON object (the service's event data). */
  private static String field(String line, String name) {
    int at = line.indexOf("\"" + name + "\":");
    if (at < 0) {
      return null;
    }
    int start = at + name.length() + 3;
    boolean quoted = line.charAt(start) == '"';
    if (quoted) {
      return line.substring(start + 1, line.indexOf('"', start + 1));
    }
    int end = start;
    while (end < line.length() && Character.isDigit(line.charAt(end))) {
      end++;
    }
    return line.substring(start, end);
  }
}
