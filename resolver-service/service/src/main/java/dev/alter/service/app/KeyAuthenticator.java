package dev.alter.service.app;

import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.Database;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a bearer key into a {@link Caller}. Keys are looked up by their SHA-256 and the stored
 * hash is compared in constant time; revoked and unknown keys are indistinguishable to callers.
 */
public final class KeyAuthenticator {
  /** last_used_at is a coarse signal; writing it on every resolve would cost a write per call. */
  private static final long TOUCH_INTERVAL_MILLIS = 60_000;

  private final Database db;
  private final ApiKeyRepository keys;
  private final ConcurrentHashMap<String, Long> lastTouched = new ConcurrentHashMap<>();

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
    return Optional.of(new Caller(admin ? Caller.Kind.ADMIN : Caller.Kind.APP, record.keyId(), record.appId()));
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
