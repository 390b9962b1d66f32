package dev.alter.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user whose JWT verified against one identity provider.
 *
 * @param idpId the IdP that verified the token
 * @param userId the value of the IdP's user claim (default {@code sub})
 * @param groups the external group ids found at the IdP's group claim path
 * @param expiresAt the token's {@code exp}: nothing derived from this identity (a cached decision,
 *     a cached credential) may outlive it
 * @param tokenHash SHA-256 hex of the token, for cache keys
 */
public record VerifiedIdentity(
    String idpId, String userId, Set<String> groups, Instant expiresAt, String tokenHash)
    implements AuthenticatedIdentity {

  public VerifiedIdentity {
    Objects.requireNonNull(idpId, "idpId");
    Objects.requireNonNull(userId, "userId");
    groups = Set.copyOf(groups);
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(tokenHash, "tokenHash");
  }

  public boolean inGroup(String externalGroupId) {
    return groups.contains(externalGroupId);
  }

  @Override
  public String describe() {
    return "user:" + idpId + "/" + userId;
  }

  @Override
  public String toString() {
    return "VerifiedIdentity{"
        + describe()
        + ", groups="
        + groups.size()
        + ", expiresAt="
        + expiresAt
        + ", tokenHash="
        + tokenHash.substring(0, Math.min(12, tokenHash.length()))
        + "…}";
  }
}
