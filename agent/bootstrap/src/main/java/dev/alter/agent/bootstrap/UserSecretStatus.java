package dev.alter.agent.bootstrap;

/**
 * A user's key for one provider as the resolver service describes it: whether one is stored, its
 * fingerprint (the first 8 hex characters of an HMAC of the key) and when it last changed. Never
 * the key.
 */
public final class UserSecretStatus {
  private final String provider;
  private final String name;
  private final boolean stored;
  private final String fingerprint;
  private final String updatedAt;
  private final String grantId;

  public UserSecretStatus(
      String provider,
      String name,
      boolean stored,
      String fingerprint,
      String updatedAt,
      String grantId) {
    this.provider = provider;
    this.name = name;
    this.stored = stored;
    this.fingerprint = fingerprint;
    this.updatedAt = updatedAt;
    this.grantId = grantId;
  }

  public String provider() {
    return provider;
  }

  /** The key's name: {@value AlterUserSecrets#DEFAULT_NAME} unless the backend gave another. */
  public String name() {
    return name;
  }

  public boolean stored() {
    return stored;
  }

  /** Null when nothing is stored. */
  public String fingerprint() {
    return fingerprint;
  }

  /** ISO-8601 UTC time of the last store or rotation; null when nothing is stored. */
  public String updatedAt() {
    return updatedAt;
  }

  /**
   * The user grant bound to the key ({@code grt_…}); null when nothing is stored. Requests may name
   * it instead of {@code @provider}, and must when the user keeps several keys for the provider.
   */
  public String grantId() {
    return grantId;
  }

  @Override
  public String toString() {
    return "UserSecretStatus{"
        + provider
        + "/"
        + name
        + (stored ? ", stored, fingerprint=" + fingerprint + ", updatedAt=" + updatedAt : ", none")
        + "}";
  }
}
