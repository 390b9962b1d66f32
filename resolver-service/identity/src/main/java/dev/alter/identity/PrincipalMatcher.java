package dev.alter.identity;

import dev.alter.contract.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Decides whether a verified identity satisfies a grant's principal, and picks the grant for {@code
 * alter-grant: @provider}. Stateless: group membership comes from the token presented on this
 * request, so removing a user from a group takes effect with their next token.
 */
public final class PrincipalMatcher {

  /**
   * @param identity the verified {@code alter-identity}, or {@code null} when none was sent
   */
  public PrincipalDecision match(GrantPrincipal principal, AuthenticatedIdentity identity) {
    if (principal instanceof GrantPrincipal.User user) {
      return matchUser(user, identity);
    }
    if (principal instanceof GrantPrincipal.Group group) {
      return matchGroup(group, identity);
    }
    if (principal instanceof GrantPrincipal.Agent agent) {
      return matchAgent(agent, identity);
    }
    if (principal instanceof GrantPrincipal.System) {
      return PrincipalDecision.allow();
    }
    throw new IllegalArgumentException("principal is required");
  }

  /**
   * The one grant among {@code candidates} (the app's live grants of one provider) that {@code
   * identity} holds. System grants never match: {@code @provider} selects by identity.
   *
   * @throws GrantSelectionFailed {@code grant_not_found} for none, {@code ambiguous_grant} for
   *     several
   */
  public <G> G selectGrant(
      String provider,
      Collection<G> candidates,
      Function<G, GrantPrincipal> principalOf,
      AuthenticatedIdentity identity)
      throws GrantSelectionFailed {
    List<G> held = new ArrayList<>();
    for (G grant : candidates) {
      GrantPrincipal principal = principalOf.apply(grant);
      if (!(principal instanceof GrantPrincipal.System) && match(principal, identity).allowed()) {
        held.add(grant);
      }
    }
    if (held.isEmpty()) {
      throw new GrantSelectionFailed(
          ErrorCode.GRANT_NOT_FOUND,
          0,
          identity == null
              ? "@" + provider + " selects a grant by identity: send alter-identity"
              : "no grant of @" + provider + " is held by " + identity.describe());
    }
    if (held.size() > 1) {
      throw new GrantSelectionFailed(
          ErrorCode.AMBIGUOUS_GRANT,
          held.size(),
          held.size()
              + " grants of @"
              + provider
              + " are held by "
              + identity.describe()
              + "; use a grant id");
    }
    return held.get(0);
  }

  private static PrincipalDecision matchUser(
      GrantPrincipal.User user, AuthenticatedIdentity identity) {
    if (identity == null) {
      return PrincipalDecision.mismatch(
          MismatchReason.IDENTITY_REQUIRED,
          "this user grant needs the user's JWT in alter-identity");
    }
    if (!(identity instanceof VerifiedIdentity id)) {
      return PrincipalDecision.mismatch(
          MismatchReason.WRONG_IDENTITY_KIND,
          "a user grant needs a user's JWT, not an agent token");
    }
    if (!id.idpId().equals(user.idpId())) {
      return PrincipalDecision.mismatch(
          MismatchReason.OTHER_IDP, "the token is from another identity provider than the grant's");
    }
    if (!id.userId().equals(user.userId())) {
      return PrincipalDecision.mismatch(
          MismatchReason.OTHER_USER, "the token is another user's than the grant's");
    }
    return PrincipalDecision.allow();
  }

  private static PrincipalDecision matchGroup(
      GrantPrincipal.Group group, AuthenticatedIdentity identity) {
    if (identity == null) {
      return PrincipalDecision.mismatch(
          MismatchReason.IDENTITY_REQUIRED,
          "this group grant needs a member's JWT in alter-identity");
    }
    if (!(identity instanceof VerifiedIdentity id)) {
      return PrincipalDecision.mismatch(
          MismatchReason.WRONG_IDENTITY_KIND,
          "a group grant needs a user's JWT, not an agent token");
    }
    if (!id.idpId().equals(group.idpId())) {
      return PrincipalDecision.mismatch(
          MismatchReason.OTHER_IDP, "the token is from another identity provider than the grant's");
    }
    if (!id.inGroup(group.externalGroupId())) {
      return PrincipalDecision.mismatch(
          MismatchReason.GROUP_NOT_IN_TOKEN, "the token does not list the grant's group");
    }
    return PrincipalDecision.allow();
  }

  private static PrincipalDecision matchAgent(
      GrantPrincipal.Agent agent, AuthenticatedIdentity identity) {
    if (identity == null) {
      return PrincipalDecision.mismatch(
          MismatchReason.IDENTITY_REQUIRED,
          "this agent grant needs the agent's token in alter-identity");
    }
    if (!(identity instanceof VerifiedAgent id)) {
      return PrincipalDecision.mismatch(
          MismatchReason.WRONG_IDENTITY_KIND,
          "an agent grant needs an agent token, not a user's JWT");
    }
    if (!id.agentId().equals(agent.agentId())) {
      return PrincipalDecision.mismatch(
          MismatchReason.OTHER_AGENT, "the token belongs to another agent than the grant's");
    }
    return PrincipalDecision.allow();
  }
}
