package dev.alter.agent.resolver;

import dev.alter.agent.policy.EnforcedPolicy;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.aws.AwsDerivedCredential;
import java.time.Instant;

/**
 * An opened resolve answer: the credential parts, how to inject them and where they may go. Held
 * only in the agent's cache; {@link #toString()} never shows values.
 */
public final class ResolvedCredential {
  private final String grantId;
  private final long version;
  private final CredentialPayload payload;
  private final InjectionSpec injection;
  private final DestinationPolicy destinations;
  private final int ttlSeconds;

  /** The managed secret behind the grant (change events name it), or null if not told. */
  private volatile String secretId;

  /** The grant's request policy, compiled once for this answer; null when it has none. */
  private final EnforcedPolicy policy;

  /**
   * Parsed once from the payload for {@code aws_sigv4} secrets (hex decoding off the request path).
   */
  private volatile AwsDerivedCredential aws;

  public ResolvedCredential(
      String grantId,
      long version,
      CredentialPayload payload,
      InjectionSpec injection,
      DestinationPolicy destinations,
      int ttlSeconds) {
    this(grantId, version, payload, injection, destinations, ttlSeconds, null);
  }

  /**
   * @param policy the grant's request policy compiled for this answer, or null
   */
  public ResolvedCredential(
      String grantId,
      long version,
      CredentialPayload payload,
      InjectionSpec injection,
      DestinationPolicy destinations,
      int ttlSeconds,
      EnforcedPolicy policy) {
    this.policy = policy;
    this.grantId = grantId;
    this.version = version;
    this.payload = payload;
    this.injection = injection;
    this.destinations = destinations;
    this.ttlSeconds = ttlSeconds;
  }

  /**
   * The grant the service resolved (a {@code grt_…} id even when the app asked for
   * {@code @provider}).
   */
  public String grantId() {
    return grantId;
  }

  public String secretId() {
    return secretId;
  }

  /** Set once, as the answer is opened. */
  ResolvedCredential withSecretId(String id) {
    this.secretId = id;
    return this;
  }

  public long version() {
    return version;
  }

  public CredentialPayload payload() {
    return payload;
  }

  public InjectionSpec injection() {
    return injection;
  }

  public DestinationPolicy destinations() {
    return destinations;
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** The grant's request policy, checked per request before injection; null when none. */
  public EnforcedPolicy policy() {
    return policy;
  }

  /** True when requests are signed (AWS SigV4) with a derived key rather than given a header. */
  public boolean isAwsSigning() {
    return injection != null && InjectionSpec.AWS_SIGV4.equals(injection.getType());
  }

  /**
   * The derived AWS signing key of an {@code aws_sigv4} answer.
   *
   * @throws IllegalArgumentException naming the malformed part (never a value)
   */
  public AwsDerivedCredential aws() {
    AwsDerivedCredential parsed = aws;
    if (parsed == null) {
      parsed = AwsDerivedCredential.fromPayload(payload);
      aws = parsed;
    }
    return parsed;
  }

  /** Whether this credential may be used at {@code nowMillis}; {@link #unusableAt} says why not. */
  public boolean usableAt(long nowMillis) {
    return unusableAt(grantId, nowMillis) == null;
  }

  /**
   * Why this credential must not sign a request at {@code nowMillis} (agent clock), or null when it
   * may: a derived AWS key signs only on the UTC day it was derived for, and never past the expiry
   * of its session token. Other credentials are always usable (their TTL governs them).
   */
  public ResolveFailure unusableAt(String grant, long nowMillis) {
    if (!isAwsSigning()) {
      return null;
    }
    AwsDerivedCredential key;
    try {
      key = aws();
    } catch (IllegalArgumentException malformed) {
      return new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          grant,
          "the resolver's AWS credential is malformed: " + malformed.getMessage());
    }
    String today = SigningDate.ofMillis(nowMillis);
    if (!key.scope().date().equals(today)) {
      return new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          ErrorCode.RESOLVER_UNAVAILABLE.code(),
          grant,
          "the resolver derived the AWS signing key for "
              + key.scope().date()
              + " but this JVM's UTC date is "
              + today
              + " (the clocks of this host and the resolver service disagree)",
          "synchronise the clocks (NTP) of this host and the resolver service");
    }
    long expires = key.sessionExpiresAtEpochSeconds();
    if (expires > 0 && nowMillis >= expires * 1000L) {
      return new ResolveFailure(
          ErrorCode.CREDENTIAL_EXPIRED,
          grant,
          "the AWS session token expired at " + Instant.ofEpochSecond(expires));
    }
    return null;
  }

  @Override
  public String toString() {
    return "ResolvedCredential{grant="
        + grantId
        + ", version="
        + version
        + ", ttl="
        + ttlSeconds
        + "s, value=[redacted]}";
  }
}
