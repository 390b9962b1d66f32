package dev.alter.identity;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/**
 * The identity part of a resolve, in one call: verify the presented {@code alter-identity} (when
 * the grant needs one) and match it against the grant's principal, or pick the grant for
 * {@code @provider}. Nothing is cached between calls, so a revoked agent token or a group removed
 * from the user's token applies at the next resolve.
 */
public final class GrantAccessCheck {
  private final PresentedIdentityVerifier verifier;
  private final PrincipalMatcher matcher;

  public GrantAccessCheck(PresentedIdentityVerifier verifier, PrincipalMatcher matcher) {
    this.verifier = verifier;
    this.matcher = matcher;
  }

  /**
   * @param presentedIdentity the {@code alter-identity} value, or {@code null}; ignored for system
   *     grants, for which it is optional
   */
  public AccessDecision check(GrantPrincipal principal, String presentedIdentity) {
    return checkPresented(
        principal, presentedIdentity == null ? null : PresentedIdentity.token(presentedIdentity));
  }

  /**
   * @param presentedIdentity the identity or agent-token proof, or {@code null}
   */
  public AccessDecision checkPresented(
      GrantPrincipal principal, PresentedIdentity presentedIdentity) {
    if (principal instanceof GrantPrincipal.System) {
      return AccessDecision.allowed(null);
    }
    AuthenticatedIdentity identity = null;
    if (presentedIdentity != null) {
      try {
        identity = verifier.verify(presentedIdentity);
      } catch (IdentityRejected e) {
        return AccessDecision.identityInvalid(e);
      }
    }
    PrincipalDecision decision = matcher.match(principal, identity);
    return decision.allowed()
        ? AccessDecision.allowed(identity)
        : AccessDecision.principalMismatch(decision, identity);
  }

  /**
   * The grant {@code alter-grant: @provider} means for this identity, among the app's live grants
   * of it.
   */
  public <G> SelectedGrant<G> select(
      String provider,
      Collection<G> candidates,
      Function<G, GrantPrincipal> principalOf,
      String presentedIdentity) {
    return selectPresented(
        provider,
        candidates,
        principalOf,
        presentedIdentity == null ? null : PresentedIdentity.token(presentedIdentity));
  }

  public <G> SelectedGrant<G> selectPresented(
      String provider,
      Collection<G> candidates,
      Function<G, GrantPrincipal> principalOf,
      PresentedIdentity presentedIdentity) {
    AuthenticatedIdentity identity = null;
    if (presentedIdentity != null) {
      try {
        identity = verifier.verify(presentedIdentity);
      } catch (IdentityRejected e) {
        return new SelectedGrant<>(Optional.empty(), AccessDecision.identityInvalid(e));
      }
    }
    try {
      G grant = matcher.selectGrant(provider, candidates, principalOf, identity);
      return new SelectedGrant<>(Optional.of(grant), AccessDecision.allowed(identity));
    } catch (GrantSelectionFailed e) {
      return new SelectedGrant<>(Optional.empty(), AccessDecision.selectionFailed(e, identity));
    }
  }

  /** The chosen grant (present when {@code decision.allowed()}) and the decision to audit. */
  public record SelectedGrant<G>(Optional<G> grant, AccessDecision decision) {}
}
