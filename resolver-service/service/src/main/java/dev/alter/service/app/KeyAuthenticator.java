package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import dev.alter.contract.proof.SignatureHeader;
import dev.alter.identity.AgentTokenProof;
import dev.alter.service.crypto.ProofKeys;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.Database;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Turns an {@code Authorization} value into a {@link Caller}: a bearer key, or an {@code
 * Alter-Signature} made with the key's proof key (what the agent sends, so the key never travels).
 * Keys are looked up by their proof key id; a bearer key's id is derived from the presented key and
 * compared again in constant time. Revoked and unknown keys are indistinguishable to callers.
 *
 * <p>A live key's row is remembered for at most {@link #LIVE_KEY_MILLIS} (one database transaction
 * less per request on the resolve path). Revocation stays immediate in this process: the key
 * services call {@link #keysRevoked()} after their transaction commits, which drops every
 * remembered key, and an entry looked up before that call is never used after it (generation
 * check). Across replicas the change log says so: a revocation committed by another service process
 * on the same database reaches {@link #keysRevoked()} as this replica reads the log, and while the
 * log is known to be followed promptly ({@link #followChanges}) a live key is remembered for {@link
 * #EVENT_DRIVEN_KEY_MILLIS}; otherwise (no change log, or its notifications are down) for {@link
 * #LIVE_KEY_MILLIS}. Unknown and revoked keys are never remembered.
 */
public final class KeyAuthenticator {
  /** last_used_at is a coarse signal; writing it on every resolve would cost a write per call. */
  private static final long TOUCH_INTERVAL_MILLIS = 60_000;

  /**
   * The longest a live key is trusted without reading the store again (the bound across processes).
   */
  public static final long LIVE_KEY_MILLIS = 1_000;

  /**
   * The longest a live key is trusted while revocations arrive as change events (the bound should
   * an event be lost; {@code last_used_at} is written at this pace anyway).
   */
  public static final long EVENT_DRIVEN_KEY_MILLIS = 60_000;

  /** Whether revocations committed anywhere currently reach {@link #keysRevoked()} promptly. */
  private volatile java.util.function.BooleanSupplier changesFollowed = () -> false;

  /** More distinct live keys than this in one second and the memory starts afresh. */
  private static final int MAX_REMEMBERED = 10_000;

  private final Database db;
  private final ApiKeyRepository keys;
  private final ReplayGuard replays;
  private final ConcurrentHashMap<String, Long> lastTouched = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Remembered> live = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final Clock clock;

  /**
   * A live key's row and public key, read from the store at {@code readAtNanos} in {@code
   * generation}.
   */
  private record Remembered(
      ApiKeyRecord record, PublicKey publicKey, long readAtNanos, long generation) {}

  /** The caller, and the managed agent's token proof when the signature carried one. */
  public record Authenticated(Caller caller, AgentTokenProof agentProof) {}

  public KeyAuthenticator(Database db, ApiKeyRepository keys, ReplayGuard replays, Clock clock) {
    this.db = db;
    this.keys = keys;
    this.replays = replays;
    this.clock = clock;
  }

  /**
   * The caller for this {@code Authorization} value, or empty when it names no live key.
   *
   * @param request the signed parts, read only for an {@code Alter-Signature}
   * @throws ApiException {@code signature_rejected} for a malformed, stale, future, replayed or
   *     wrong signature
   */
  public Optional<Authenticated> authenticate(
      String authorization, Supplier<SignedRequest> request) {
    if (SignatureHeader.isSignature(authorization)) {
      return verifySigned(authorization, request.get());
    }
    return bearer(authorization).map(caller -> new Authenticated(caller, null));
  }

  private Optional<Caller> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = authorization.substring(7).trim();
    if (!(key.startsWith(WireFormat.APP_KEY_PREFIX) || key.startsWith(WireFormat.ADMIN_KEY_PREFIX))
        || key.length() > 200) {
      return Optional.empty();
    }
    String keyId = ProofKey.keyIdOf(key);
    Optional<Remembered> found = lookUp(keyId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    // The prefix is part of the derived key id, so a key's kind cannot be changed by editing it.
    ApiKeyRecord record = found.get().record();
    if (ApiKeyRecord.ADMIN.equals(record.kind()) != key.startsWith(WireFormat.ADMIN_KEY_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(caller(record));
  }

  private Optional<Authenticated> verifySigned(String authorization, SignedRequest request) {
    SignatureHeader header;
    try {
      header = SignatureHeader.parse(authorization);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.SIGNATURE_REJECTED, e.getMessage());
    }
    replays.requireFresh(header.timestamp());
    Optional<Remembered> found = lookUp(header.keyId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String signed =
        RequestSigning.canonical(
            request.method(),
            request.path(),
            request.authority() == null ? "" : request.authority(),
            header.timestamp(),
            header.nonce(),
            request.body());
    if (!ProofKeys.verify(found.get().publicKey(), signed, header.signature())) {
      throw new ApiException(
          ErrorCode.SIGNATURE_REJECTED,
          "the signature does not verify for this request (method, path, host, timestamp, nonce or body differ)");
    }
    replays.requireFirstUse(header.keyId(), header.nonce(), header.timestamp());
    AgentTokenProof agentProof =
        header.agentKeyId() == null
            ? null
            : new AgentTokenProof(header.agentKeyId(), signed, header.agentSignature());
    return Optional.of(new Authenticated(caller(found.get().record()), agentProof));
  }

  /** The live key with this proof key id, from memory or the store. */
  private Optional<Remembered> lookUp(String keyId) {
    Remembered remembered = live.get(keyId);
    if (remembered != null
        && remembered.generation() == generation.get()
        && System.nanoTime() - remembered.readAtNanos() < trustMillis() * 1_000_000) {
      touch(remembered.record().keyId());
      return Optional.of(remembered);
    }
    // Taken before the read: a revocation committed while we read makes this entry unusable.
    long readGeneration = generation.get();
    long readAt = System.nanoTime();
    Optional<ApiKeyRecord> found = db.inTransaction(c -> keys.findByProofKeyId(c, keyId));
    if (found.isEmpty() || !sameId(found.get().proofKeyId(), keyId) || found.get().revoked()) {
      return Optional.empty();
    }
    PublicKey publicKey;
    try {
      publicKey = ProofKeys.verifyingKey(found.get().publicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "stored public key of " + found.get().keyId() + " is unusable", e);
    }
    Remembered fresh = new Remembered(found.get(), publicKey, readAt, readGeneration);
    touch(fresh.record().keyId());
    if (live.size() >= MAX_REMEMBERED) {
      live.clear();
    }
    live.put(keyId, fresh);
    return Optional.of(fresh);
  }

  /**
   * Remembers live keys for {@link #EVENT_DRIVEN_KEY_MILLIS} while {@code current} says the change
   * log is followed promptly (its revocations call {@link #keysRevoked()}).
   */
  public void followChanges(java.util.function.BooleanSupplier current) {
    this.changesFollowed = current;
  }

  private long trustMillis() {
    return changesFollowed.getAsBoolean() ? EVENT_DRIVEN_KEY_MILLIS : LIVE_KEY_MILLIS;
  }

  /**
   * Called after a transaction that revoked a key has committed: no key remembered so far is
   * trusted again without reading the store.
   */
  public void keysRevoked() {
    generation.incrementAndGet();
    live.clear();
  }

  private static Caller caller(ApiKeyRecord record) {
    boolean admin = ApiKeyRecord.ADMIN.equals(record.kind());
    return new Caller(admin ? Caller.Kind.ADMIN : Caller.Kind.APP, record.keyId(), record.appId());
  }

  /** Constant time: a store that matched loosely (case, prefix) never lets another key through. */
  private static boolean sameId(String stored, String presented) {
    return MessageDigest.isEqual(
        stored.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
  }

  private void touch(String keyId) {
    long now = clock.millis();
    Long previous = lastTouched.get(keyId);
    if (previous != null && now - previous < TOUCH_INTERVAL_MILLIS) {
      return;
    }
    lastTouched.put(keyId, now);
    db.inTransaction(
        c -> {
          keys.touch(c, keyId, now);
          return null;
        });
  }
}
