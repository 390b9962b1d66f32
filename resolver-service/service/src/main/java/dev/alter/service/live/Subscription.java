package dev.alter.service.live;

import dev.alter.service.store.AgentConnectionRecord;
import java.io.IOException;

/**
 * One agent process's open change feed on this replica. Events are written under its lock, in
 * sequence order; a change at or below {@link #lastSent} is never written twice.
 */
final class Subscription {
  final AgentConnectionRecord connection;
  private final EventSink sink;
  private long lastSent;
  private volatile long lastSeenNanos = System.nanoTime();
  private volatile long lastSeenMillis;
  private volatile boolean closed;

  Subscription(AgentConnectionRecord connection, EventSink sink, long lastSent) {
    this.connection = connection;
    this.sink = sink;
    this.lastSent = lastSent;
    this.lastSeenMillis = connection.connectedAt();
  }

  String id() {
    return connection.connectionId();
  }

  String appId() {
    return connection.appId();
  }

  /** Writes a change unless it was written already; false once the subscription is closed. */
  synchronized boolean sendChange(long seq, String data) {
    if (closed) {
      return false;
    }
    if (seq <= lastSent) {
      return true;
    }
    if (!write("change", seq, data)) {
      return false;
    }
    lastSent = seq;
    return true;
  }

  /** Advances the sequence without writing (an entry for another app). */
  synchronized void skipTo(long seq) {
    if (seq > lastSent) {
      lastSent = seq;
    }
  }

  synchronized long lastSent() {
    return lastSent;
  }

  synchronized boolean send(String event, String data) {
    return !closed && write(event, null, data);
  }

  private boolean write(String event, Long id, String data) {
    try {
      sink.send(event, id, data);
      return true;
    } catch (IOException | RuntimeException e) {
      close();
      return false;
    }
  }

  void seen(long nowMillis) {
    lastSeenNanos = System.nanoTime();
    lastSeenMillis = nowMillis;
  }

  long silentNanos() {
    return System.nanoTime() - lastSeenNanos;
  }

  long lastSeenMillis() {
    return lastSeenMillis;
  }

  boolean closed() {
    return closed;
  }

  void close() {
    if (!closed) {
      closed = true;
      sink.close();
    }
  }
}
