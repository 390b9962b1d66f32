package dev.alter.contract;

/**
 * What a change log entry says changed; the wire name is the {@code kind} of a change event. Each
 * names ids and a version only, never credential material.
 */
public enum ChangeKind {
  /** A grant was issued (an {@code @provider} lookup may now answer differently). */
  GRANT_CREATED("grant_created"),
  GRANT_REVOKED("grant_revoked"),
  /** A grant's policy changed: the next request resolves afresh for the new sealed policy. */
  GRANT_UPDATED("grant_updated"),
  /** A grant's {@code expires_at} passed. */
  GRANT_EXPIRED("grant_expired"),
  /** A new credential version; {@code version} is its number. */
  SECRET_ROTATED("secret_rotated"),
  /** Destinations, plain-HTTP permission, injection or TTL changed. */
  SECRET_UPDATED("secret_updated"),
  SECRET_DELETED("secret_deleted"),
  /** {@code subject_id} is the key id. */
  APP_KEY_REVOKED("app_key_revoked"),
  /** Service-internal: replicas forget the key; never sent to agents. */
  ADMIN_KEY_REVOKED("admin_key_revoked"),
  /** A managed agent or its token was revoked ({@code subject_id}: the agent id). */
  AGENT_TOKEN_REVOKED("agent_token_revoked"),
  /** An identity provider was registered, changed or removed ({@code subject_id}: its id). */
  IDP_CHANGED("idp_changed");

  private final String wireName;

  ChangeKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, or null for one this version does not know. */
  public static ChangeKind ofWireName(String name) {
    for (ChangeKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** Not tied to one app: delivered to every subscriber. */
  public boolean global() {
    return this == AGENT_TOKEN_REVOKED || this == IDP_CHANGED;
  }
}
