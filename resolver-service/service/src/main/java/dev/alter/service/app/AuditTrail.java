package dev.alter.service.app;

import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.AuditBatchWriter;
import dev.alter.service.store.AuditEvent;
import dev.alter.service.store.AuditRepository;
import dev.alter.service.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Writes audit events: inside the caller's transaction ({@link #write}), so an operator action and
 * its record commit together, or on their own by group commit ({@link #writeCommitted}), where
 * concurrent resolves share one transaction. Values are truncated to the column sizes; they are
 * identifiers, never secrets.
 */
public final class AuditTrail {
  public static final String OK = "ok";
  public static final String ALLOWED = "allowed";
  public static final String DENIED = "denied";

  private final AuditRepository repository;
  private final AuditBatchWriter batches;
  private final Database db;
  private final Clock clock;

  /**
   * @param db where {@link #writeCommitted} commits its batches
   */
  public AuditTrail(AuditRepository repository, Database db, Clock clock) {
    this.repository = repository;
    this.batches = new AuditBatchWriter(db, repository);
    this.db = db;
    this.clock = clock;
  }

  /** An event under construction; {@link #write} stores it. */
  public static final class Entry {
    private final String actor;
    private final String action;
    private final String outcome;
    private String appId;
    private String secretId;
    private String grantId;
    private String principal;
    private String destinationHost;
    private String reason;
    private String fingerprint;

    private Entry(String actor, String action, String outcome) {
      this.actor = actor;
      this.action = action;
      this.outcome = outcome;
    }

    public Entry app(String v) {
      this.appId = v;
      return this;
    }

    public Entry secret(String v) {
      this.secretId = v;
      return this;
    }

    public Entry grant(String v) {
      this.grantId = v;
      return this;
    }

    public Entry principal(String v) {
      this.principal = v;
      return this;
    }

    public Entry destinationHost(String v) {
      this.destinationHost = v;
      return this;
    }

    public Entry reason(String v) {
      this.reason = v;
      return this;
    }

    public Entry fingerprint(String v) {
      this.fingerprint = v;
      return this;
    }
  }

  public static Entry event(String actor, String action, String outcome) {
    return new Entry(actor, action, outcome);
  }

  public void write(Connection c, Entry e) throws SQLException {
    repository.insert(c, toEvent(e));
  }

  /**
   * Records the event in a batch transaction shared with concurrent callers and returns once it is
   * committed, never before. Call it outside any transaction: the batch needs a connection of the
   * same pool, and callers waiting while holding connections could leave it none.
   *
   * @return the event's id
   * @throws dev.alter.service.store.StoreUnavailableException when it could not be committed
   */
  public String writeCommitted(Entry e) {
    AuditEvent event = toEvent(e);
    batches.append(event);
    return event.eventId();
  }

  /**
   * Counts one more occurrence of a committed event, now, in a transaction of its own.
   *
   * @return false when the event is not there (nothing was counted)
   */
  public boolean countRepeat(String eventId) {
    long now = clock.millis();
    return db.inTransaction(c -> repository.countRepeat(c, eventId, now));
  }

  /** The audit clock's time (epoch millis). */
  long millis() {
    return clock.millis();
  }

  private AuditEvent toEvent(Entry e) {
    return new AuditEvent(
        0,
        ApiKeys.newId("evt_"),
        clock.millis(),
        cut(e.actor, 80),
        e.action,
        cut(e.appId, 40),
        cut(e.secretId, 40),
        cut(e.grantId, 80),
        cut(e.principal, 400),
        cut(e.destinationHost, 300),
        e.outcome,
        cut(e.reason, 500),
        e.fingerprint);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
