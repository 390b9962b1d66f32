package dev.alter.agent.resolver;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.InjectionSpec;

/**
 * An opened resolve answer: the credential parts, how to inject them and where they may go.
 * Held only in the agent's cache; {@link #toString()} never shows values.
 */
public final class ResolvedCredential {
  private final String grantId;
  private final long version;
  private final CredentialPayload payload;
  private final InjectionSpec injection;
  private final DestinationPolicy destinations;
  private final int ttlSeconds;

  public ResolvedCredential(String grantId, long version, CredentialPayload payload,
      InjectionSpec injection, DestinationPolicy destinations, int ttlSeconds) {
    this.grantId = grantId;
    this.version = version;
    this.payload = payload;
    this.injection = injection;
    this.destinations = destinations;
    this.ttlSeconds = ttlSeconds;
  }

  /** The grant the service resolved (a {@code grt_…} id even when the app asked for {@code @provider}). */
  public String grantId() { return grantId; }
  public long version() { return version; }
  public CredentialPayload payload() { return payload; }
  public InjectionSpec injection() { return injection; }
  public DestinationPolicy destinations() { return destinations; }
  public int ttlSeconds() { return ttlSeconds; }

  @Override
  public String toString() {
    return "ResolvedCredential{grant=" + grantId + ", version=" + version + ", ttl=" + ttlSeconds
        + "s, value=[redacted]}";
  }
}
