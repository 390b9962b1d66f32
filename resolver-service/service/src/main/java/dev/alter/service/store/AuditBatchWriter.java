package dev.alter.service.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit of audit events. A caller hands in its event and blocks until that event is
 * committed; one writer thread takes whatever has queued up meanwhile and inserts it in a single
 * transaction, so many concurrent resolves share one commit instead of paying one each.
 *
 * <p>Nothing is acknowledged before it is durable in the store: {@link #append} returns only after
 * the batch holding the event committed, and throws when that batch failed (every event of a failed
 * batch fails with it, since they were rolled back together). The writer thread starts on demand
 * and ends after a second without work, so an idle or closed service keeps no thread.
 */
public final class AuditBatchWriter {
  /** Upper bound of one transaction, so a burst cannot hold a connection for long. */
  static final int MAX_BATCH = 256;

  private static final long IDLE_MILLIS = 1_000;

  private final Database db;
  private final AuditRepository repository;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean writerRunning = new AtomicBoolean();
  private final AtomicLong transactions = new AtomicLong();

  public AuditBatchWriter(Database db, AuditRepository repository) {
    this.db = db;
    this.repository = repository;
  }

  private record Pending(AuditEvent event, CompletableFuture<Void> committed) {}

  /**
   * Stores the event and returns once it is committed.
   *
   * @throws StoreUnavailableException when the batch holding it could not be committed (or the wait
   *     was interrupted: then the caller must treat the event as not recorded)
   * @throws ConstraintViolationException when the store refused the batch for a constraint
   */
  public void append(AuditEvent event) {
    Pending pending = new Pending(event, new CompletableFuture<>());
    queue.add(pending);
    ensureWriter();
    try {
      pending.committed().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "interrupted while the audit record was being committed", e);
    } catch (ExecutionException e) {
      // A fresh exception of the same kind, so the caller's stack shows where it waited.
      Throwable cause = e.getCause();
      if (cause instanceof ConstraintViolationException) {
        throw new ConstraintViolationException(cause.getMessage(), cause);
      }
      throw new StoreUnavailableException(
          "the audit batch was not committed: " + cause.getMessage(), cause);
    }
  }

  /** Batch transactions committed so far (each holds one or more events). */
  public long transactions() {
    return transactions.get();
  }

  private void ensureWriter() {
    if (!writerRunning.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread writer = new Thread(this::drain, "alter-audit-writer");
      writer.setDaemon(true);
      writer.start();
    } catch (RuntimeException | Error e) {
      writerRunning.set(false);
      failQueued(e);
      throw e;
    }
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    try {
      while (true) {
        Pending first = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          writerRunning.set(false);
          // An append that came after the poll gave up saw the flag still set and started no
          // writer: take its work unless a new writer already has.
          if (queue.isEmpty() || !writerRunning.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      writerRunning.set(false);
      failQueued(e);
    } catch (RuntimeException | Error e) {
      // commit() completes its batch; whatever queued up behind it gets a new writer
      writerRunning.set(false);
      failAll(batch, e);
      if (!queue.isEmpty()) {
        ensureWriter();
      }
      throw e;
    }
  }

  private void commit(List<Pending> batch) {
    List<AuditEvent> events = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      events.add(p.event());
    }
    try {
      db.inTransaction(
          c -> {
            repository.insertAll(c, events);
            return null;
          });
    } catch (RuntimeException | Error e) {
      failAll(batch, e);
      return;
    }
    transactions.incrementAndGet();
    for (Pending p : batch) {
      p.committed().complete(null);
    }
  }

  private void failQueued(Throwable cause) {
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    failAll(rest, cause);
  }

  private static void failAll(List<Pending> batch, Throwable cause) {
    for (Pending p : batch) {
      p.committed().completeExceptionally(cause);
    }
  }
}
