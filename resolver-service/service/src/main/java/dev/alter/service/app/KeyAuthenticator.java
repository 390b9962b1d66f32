package dev.alter.service.app;

import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.Database;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a bearer key into a {@link Caller}. Keys are looked up by their SHA-256 and the stored
 * hash is compared in constant time; revoked and unknown keys are indistinguishable to callers.
 *
 * <p>A live key's caller is remembered for at most {@link #LIVE_KEY_MILLIS} (one database
 * transaction less per request on the resolve path). Revocation stays immediate in this process:
 * the key services call {@link #keysRevoked()} after their transaction commits, which drops every
 * remembered key, and an entry looked up before that call is never used after it (generation
 * check). A revocation committed by another service process on the same database takes effect
 * here within {@link #LIVE_KEY_MILLIS}. Unknown and revoked keys are never remembered.
 */
public final class KeyAuthenticator {
  /** last_used_at is a coarse signal; writing it on every resolve would cost a write per call. */
  private static final long TOUCH_INTERVAL_MILLIS = 60_000;
  /** The longest a live key is trusted without reading the store again (the bound across processes). */
  public static final long LIVE_KEY_MILLIS = 1_000;
  /** More distinct live keys than this in one second and the memory starts afresh. */
  private static final int MAX_REMEMBERED = 10_000;

  private final Database db;
  private final ApiKeyRepository keys;
  private final ConcurrentHashMap<String, Long> lastTouched = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Remembered> live = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** A live key's caller, read from the store at {@code readAtNanos} in {@code generation}. */
  private record Remembered(Caller caller, String keyId, long readAtNanos, long generation) {}

  public KeyAuthenticator(Database db, ApiKeyRepository keys) {
    this.db = db;
    this.keys = keys;
  }

  /** The caller for this {@code Authorization} header value, or empty when it is not a live key. */
  public Optional<Caller> authenticate(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = authorizationHeader.substring(7).trim();
    if (!(key.startsWith(WireFormat.APP_KEY_PREFIX) || key.startsWith(WireFormat.ADMIN_KEY_PREFIX))
        || key.length() > 200) {
      return Optional.empty();
    }
    String hash = ApiKeys.hash(key);
    Remembered remembered = live.get(hash);
    if (remembered != null && remembered.generation() == generation.get()
        && System.nanoTime() - remembered.readAtNanos() < LIVE_KEY_MILLIS * 1_000_000) {
      touch(remembered.keyId());
      return Optional.of(remembered.caller());
    }
    // Taken before the read: a revocation committed while we read makes this entry unusable.
    long readGeneration = generation.get();
    long readAt = System.nanoTime();
    Optional<ApiKeyRecord> found = db.inTransaction(c -> keys.findByHash(c, hash));
    if (found.isEmpty() || !ApiKeys.hashesEqual(found.get().keyHash(), hash) || found.get().revoked()) {
      return Optional.empty();
    }
    ApiKeyRecord record = found.get();
    // The prefix is part of the hashed key, so a key's kind cannot be changed by editing it.
    boolean admin = ApiKeyRecord.ADMIN.equals(record.kind());
    if (admin != key.startsWith(WireFormat.ADMIN_KEY_PREFIX)) {
      return Optional.empty();
    }
    touch(record.keyId());
    Caller caller = new Caller(admin ? Caller.Kind.ADMIN : Caller.Kind.APP, record.keyId(), record.appId());
    if (live.size() >= MAX_REMEMBERED) {
      live.clear();
    }
    live.put(hash, new Remembered(caller, record.keyId(), readAt, readGeneration));
    return Optional.of(caller);
  }

  /**
   * Called after a transaction that revoked a key has committed: no key remembered so far is
   * trusted again without reading the store.
   */
  public void keysRevoked() {
    generation.incrementAndGet();
    live.clear();
  }

  private void touch(String keyId) {
    long now = System.currentTimeMillis();
    Long previous = lastTouched.get(keyId);
    if (previous != null && now - previous < TOUCH_INTERVAL_MILLIS) {
      return;
    }
    lastTouched.put(keyId, now);
    db.inTransaction(c -> {
      keys.touch(c, keyId, now);
      return null;
    });
  }
}
