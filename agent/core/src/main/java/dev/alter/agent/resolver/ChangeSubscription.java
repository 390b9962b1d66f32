package dev.alter.agent.resolver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.alter.contract.ChangeKind;
import dev.alter.contract.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's one long-lived subscription to the service's change feed ({@code POST /v1/changes},
 * answered with server-sent events). Signed like a resolve, so no key travels (SECURITY.md
 * invariant 1 on the agent's side: the app's logs see only a one-time signature). It resumes from
 * the last sequence it read; hands every change to the {@link ChangeListener} before reading the
 * next; sends its own heartbeat each interval the service announced, and reconnects when the
 * service's heartbeats stop for three intervals. Which replica it connects to is the {@link
 * ResolverEndpoints}' choice.
 */
public final class ChangeSubscription implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");
  private static final long MIN_BACKOFF_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final ResolverEndpoints endpoints;
  private final ResolverClient client;
  private final ChangeListener listener;
  private final String agentVersion;
  private final Clock clock;
  private final JsonFactory json = new JsonFactory();
  private final Thread thread;
  private final ScheduledExecutorService timer;

  private volatile boolean running = true;
  private volatile long lastSeq = -1;
  private volatile long lastHeartbeatMillis;
  private volatile long lastReceivedNanos;
  private volatile int heartbeatSeconds = 2;
  private volatile Stream current;

  /** Counted down by the first hello, or by the end of a first attempt that got none. */
  private final java.util.concurrent.CountDownLatch firstAttempt =
      new java.util.concurrent.CountDownLatch(1);

  public ChangeSubscription(
      ResolverEndpoints endpoints,
      ResolverClient client,
      ChangeListener listener,
      String agentVersion,
      Clock clock) {
    this.endpoints = endpoints;
    this.client = client;
    this.listener = listener;
    this.agentVersion = agentVersion == null ? "unknown" : agentVersion;
    this.clock = clock;
    this.thread = new Thread(this::run, "alter-agent-changes");
    thread.setDaemon(true);
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "alter-agent-changes-heartbeat");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  public void start() {
    thread.start();
    timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** When the service last proved the feed alive (epoch millis), 0 before the first time. */
  public long lastHeartbeatMillis() {
    return lastHeartbeatMillis;
  }

  /** Whether a subscription is open and its heartbeats arrive. */
  public boolean connected() {
    Stream s = current;
    return s != null && s.connectionId != null && !stale();
  }

  /**
   * Waits until the feed's first connection said hello (or failed), at most {@code max}. The first
   * connection starts the feed at the service's latest change, so a grant resolved before that
   * hello could change unseen: the agent's first resolve waits for it.
   *
   * @return true when the feed is current
   */
  public boolean awaitFirstHello(Duration max) throws InterruptedException {
    firstAttempt.await(max.toMillis(), TimeUnit.MILLISECONDS);
    return lastSeq >= 0;
  }

  /** The sequence the next connection resumes from (-1: from now). */
  public long lastSeq() {
    return lastSeq;
  }

  private boolean stale() {
    return System.nanoTime() - lastReceivedNanos > (3L * heartbeatSeconds + 1) * 1_000_000_000L;
  }

  private void run() {
    long backoff = MIN_BACKOFF_MILLIS;
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    while (running) {
      URI base = endpoints.next();
      boolean helloSeen = false;
      try {
        helloSeen = subscribeOnce(base, host, pid);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(
            Level.FINE,
            "change subscription to {0} failed: {1}",
            new Object[] {base, e.getClass().getSimpleName() + ": " + e.getMessage()});
      }
      firstAttempt.countDown();
      if (!running) {
        return;
      }
      endpoints.reportFailure(base);
      backoff = helloSeen ? MIN_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      try {
        Thread.sleep(helloSeen ? 0 : backoff);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One connection, until it ends; true when the service said hello on it. */
  private boolean subscribeOnce(URI base, String host, long pid)
      throws IOException, InterruptedException {
    URI uri = URI.create(trimmed(base) + WireFormat.CHANGES_PATH);
    byte[] body = subscribeBody(host, pid);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(CONNECT_TIMEOUT)
            .header("Authorization", client.signer().authorization(uri, body, null))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream, application/problem+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpClient http;
    try {
      http = client.client();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot set up TLS to the resolver", e);
    }
    Stream stream = new Stream(base);
    // the response completes only when the event stream ends: the stream is current from the
    // start, so the heartbeat timer can send ours and notice a silent service meanwhile
    current = stream;
    lastReceivedNanos = System.nanoTime();
    java.util.concurrent.CompletableFuture<HttpResponse<Void>> response =
        http.sendAsync(
            request,
            info ->
                info.statusCode() == 200
                    ? HttpResponse.BodySubscribers.fromLineSubscriber(stream)
                    : HttpResponse.BodySubscribers.discarding());
    response.whenComplete((r, e) -> stream.ended.countDown());
    try {
      stream.ended.await();
    } finally {
      current = null;
      stream.cancel();
    }
    HttpResponse<Void> answered = response.getNow(null);
    if (answered != null && answered.statusCode() != 200) {
      if (answered.statusCode() == 401 || answered.statusCode() == 403) {
        LOG.log(
            Level.WARNING,
            "the resolver at {0} refused the change subscription (HTTP {1}): is the app key"
                + " revoked?",
            new Object[] {base, answered.statusCode()});
      }
      throw new IOException("HTTP " + answered.statusCode());
    }
    return stream.connectionId != null;
  }

  private byte[] subscribeBody(String host, long pid) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("since", lastSeq);
      g.writeStringField("host_name", host);
      g.writeNumberField("pid", pid);
      g.writeStringField("agent_version", agentVersion);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Every second: the agent's heartbeat when due, and the check that the service's arrive. */
  private void tick() {
    Stream s = current;
    if (s == null) {
      return;
    }
    if (s.connectionId == null) {
      if (System.nanoTime() - s.openedNanos > CONNECT_TIMEOUT.toNanos() * 2) {
        LOG.log(Level.FINE, "no hello from the resolver at {0}; reconnecting", s.base);
        s.cancel();
      }
      return;
    }
    if (stale()) {
      LOG.log(
          Level.FINE,
          "no heartbeat from the resolver at {0} for {1} s; reconnecting",
          new Object[] {s.base, 3 * heartbeatSeconds + 1});
      s.cancel();
      return;
    }
    long now = System.nanoTime();
    if (now - s.lastBeatSentNanos >= heartbeatSeconds * 1_000_000_000L - 100_000_000L) {
      s.lastBeatSentNanos = now;
      sendHeartbeat(s);
    }
  }

  private void sendHeartbeat(Stream s) {
    try {
      URI uri = URI.create(trimmed(s.base) + WireFormat.CHANGES_HEARTBEAT_PATH);
      byte[] body =
          ("{\"connection_id\":\"" + s.connectionId + "\"}")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(Math.max(2, heartbeatSeconds)))
              .header("Authorization", client.signer().authorization(uri, body, null))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      client
          .client()
          .sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, error) -> {
                if (response != null && response.statusCode() == 404) {
                  // this replica no longer holds the subscription: open a new one
                  s.cancel();
                }
              });
    } catch (java.security.GeneralSecurityException | IOException | RuntimeException e) {
      // the next tick tries again; a dead feed is noticed by the missing service heartbeats
    }
  }

  private void onFrame(Stream s, String event, String data) {
    lastReceivedNanos = System.nanoTime();
    lastHeartbeatMillis = clock.millis();
    try {
      switch (event) {
        case "hello":
          {
            Frame f = parse(data);
            if (f.heartbeatSeconds > 0) {
              heartbeatSeconds = f.heartbeatSeconds;
            }
            s.connectionId = f.connectionId;
            if (lastSeq < 0) {
              lastSeq = f.seq;
            }
            firstAttempt.countDown();
            endpoints.reportSuccess(s.base);
            LOG.log(
                Level.FINE,
                "subscribed to changes at {0} (replica {1}, from sequence {2})",
                new Object[] {s.base, f.replica, lastSeq});
            break;
          }
        case "change":
          {
            Frame f = parse(data);
            ChangeKind kind = ChangeKind.ofWireName(f.kind);
            if (kind == null) {
              // a change this agent does not understand: forget everything rather than guess
              listener.lostTrack();
            } else {
              listener.changed(
                  new ChangeEvent(f.seq, kind, f.grantId, f.secretId, f.version, f.subjectId));
            }
            lastSeq = f.seq;
            break;
          }
        case "reset":
          listener.lostTrack();
          lastSeq = parse(data).seq;
          break;
        case "heartbeat":
          {
            long seq = parse(data).seq;
            if (seq > lastSeq) {
              lastSeq = seq;
            }
            break;
          }
        default:
          break;
      }
    } catch (IOException | RuntimeException e) {
      // an event that cannot be read may have been a revocation: forget everything
      listener.lostTrack();
      s.cancel();
    }
  }

  /** The fields of any event's data. */
  private static final class Frame {
    long seq = -1;
    String kind;
    String grantId;
    String secretId;
    Long version;
    String subjectId;
    String connectionId;
    String replica;
    int heartbeatSeconds;
  }

  private Frame parse(String data) throws IOException {
    Frame f = new Frame();
    try (JsonParser p = json.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("event data is not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "seq":
            f.seq = p.getValueAsLong();
            break;
          case "kind":
            f.kind = p.getValueAsString();
            break;
          case "grant_id":
            f.grantId = p.getValueAsString();
            break;
          case "secret_id":
            f.secretId = p.getValueAsString();
            break;
          case "version":
            f.version = value == JsonToken.VALUE_NULL ? null : p.getValueAsLong();
            break;
          case "subject_id":
            f.subjectId = p.getValueAsString();
            break;
          case "connection_id":
            f.connectionId = p.getValueAsString();
            break;
          case "replica":
            f.replica = p.getValueAsString();
            break;
          case "heartbeat_seconds":
            f.heartbeatSeconds = p.getValueAsInt();
            break;
          default:
            p.skipChildren();
        }
      }
    }
    return f;
  }

  /** One open event stream: its lines, assembled into events. */
  private final class Stream implements Flow.Subscriber<String> {
    final URI base;
    final CountDownLatch ended = new CountDownLatch(1);
    volatile String connectionId;
    final long openedNanos = System.nanoTime();
    volatile long lastBeatSentNanos = System.nanoTime();
    private volatile Flow.Subscription subscription;
    private String event = "message";
    private final StringBuilder data = new StringBuilder();

    Stream(URI base) {
      this.base = base;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          onFrame(this, event, data.toString());
        }
        event = "message";
        data.setLength(0);
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      }
      // "id:" repeats the change's seq, which the data carries; ":" lines are comments
    }

    @Override
    public void onError(Throwable t) {
      ended.countDown();
    }

    @Override
    public void onComplete() {
      ended.countDown();
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      ended.countDown();
    }
  }

  private static String trimmed(URI base) {
    String b = base.toString();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    running = false;
    timer.shutdownNow();
    Stream s = current;
    if (s != null) {
      s.cancel();
    }
    thread.interrupt();
  }
}
