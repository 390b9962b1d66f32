package dev.alter.service.app;

import dev.alter.service.store.AuditEvent;
import dev.alter.service.store.AuditExportRepository;
import dev.alter.service.store.AuditExportRepository.Positioned;
import dev.alter.service.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the audit trail in commit order after a cursor, for {@code GET /v1/audit/export} and the
 * webhook dispatcher. The cursor is the export position of the last event read ({@link
 * AuditExportRepository} explains why it never skips an event that commits late).
 */
public final class AuditExport {
  public static final Set<String> PARAMETERS = Set.of("after", "limit", "wait");
  static final int MAX_LIMIT = 1000;
  private static final int DEFAULT_LIMIT = 500;
  private static final int MAX_WAIT_SECONDS = 30;
  private static final long POLL_MILLIS = 200;
  private static final int SEQUENCER_BATCH = 5000;

  private final Database db;
  private final AuditExportRepository repository;

  /** One sequencer transaction per process at a time; replicas queue on the row lock. */
  private final ReentrantLock sequencing = new ReentrantLock();

  public AuditExport(Database db, AuditExportRepository repository) {
    this.db = db;
    this.repository = repository;
  }

  /** One exported event and the cursor that resumes after it. */
  public record Exported(String cursor, long position, AuditEvent event) {}

  /** The events of one answer and the cursor to resume from (the request's when none). */
  public record Page(List<Exported> events, String nextCursor) {}

  /**
   * Numbers the events committed since the last call, so readers see them. Cheap when there are
   * none (one locked row read).
   */
  public void sequence() {
    sequencing.lock();
    try {
      int assigned;
      do {
        assigned = db.inTransaction(c -> repository.assignPositions(c, SEQUENCER_BATCH));
      } while (assigned >= SEQUENCER_BATCH);
    } finally {
      sequencing.unlock();
    }
  }

  /** Events after {@code position} (sequencing first), at most {@code limit}. */
  public List<Exported> after(long position, int limit) {
    sequence();
    return db.inTransaction(c -> repository.after(c, position, limit)).stream()
        .map(AuditExport::exported)
        .toList();
  }

  /**
   * @param params {@code after} (a cursor, absent: from the beginning), {@code limit} (1-1000,
   *     default 500), {@code wait} (seconds, 0-30: how long to wait for a first event when there is
   *     none yet)
   */
  public Page read(Map<String, String> params) {
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiException.invalid("the export takes the query parameters after, limit and wait");
      }
    }
    long after = params.get("after") == null ? 0 : parseCursor(params.get("after"));
    int limit = intParam(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    int wait = intParam(params, "wait", 0, 0, MAX_WAIT_SECONDS);
    long deadline = System.nanoTime() + wait * 1_000_000_000L;
    List<Exported> events = after(after, limit);
    while (events.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException stopping) {
        // the server is stopping: answer what there is (nothing), the client asks again
        Thread.currentThread().interrupt();
        break;
      }
      events = after(after, limit);
    }
    String next = events.isEmpty() ? cursor(after) : events.get(events.size() - 1).cursor();
    return new Page(events, next);
  }

  public static String cursor(long position) {
    return Long.toString(position);
  }

  /**
   * @throws ApiException validation_failed when it is not a cursor this service hands out
   */
  public static long parseCursor(String text) {
    if (text.isEmpty()
        || text.length() > 18
        || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw ApiException.invalid(
          "after must be a cursor from an earlier export line or Alter-Next-Cursor (or 0)");
    }
    return Long.parseLong(text);
  }

  private static int intParam(Map<String, String> params, String name, int dflt, int min, int max) {
    String text = params.get(name);
    if (text == null) {
      return dflt;
    }
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      v = min - 1;
    }
    if (v < min || v > max) {
      throw ApiException.invalid(name + " must be from " + min + " to " + max);
    }
    return v;
  }

  private static Exported exported(Positioned p) {
    return new Exported(cursor(p.position()), p.position(), p.event());
  }
}
