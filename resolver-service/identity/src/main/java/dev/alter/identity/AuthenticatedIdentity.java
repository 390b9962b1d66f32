package dev.alter.identity;

/**
 * Who presented {@code alter-identity}, after verification: a user of an identity provider or a
 * managed agent. Grants are then decided by {@link PrincipalMatcher}.
 */
public sealed interface AuthenticatedIdentity permits VerifiedIdentity, VerifiedAgent {

  /**
   * SHA-256 (lower-case hex) of the presented token: the key under which the agent and the service
   * may cache per identity; never the token itself.
   */
  String tokenHash();

  /** A short label for audit records, e.g. {@code user:idp_corp/alice} or {@code agent:agt_7f…}. */
  String describe();
}
