package dev.alter.identity;

import dev.alter.contract.ErrorCode;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of checking an {@code alter-identity} against a grant, shaped for the resolve
 * response and the audit record.
 *
 * @param errorCode empty when allowed; else {@code identity_invalid}, {@code principal_mismatch},
 *     {@code grant_not_found} or {@code ambiguous_grant}
 * @param reason the failed check for audit ({@link RejectionReason#code()} or {@link
 *     MismatchReason#code()}); empty when allowed or for grant selection failures
 * @param subject who presented the identity, for audit ({@code user:idp_…/alice}, {@code
 *     agent:agt_…}); empty when no identity was sent or it could not be trusted
 * @param identity the verified identity when there was one
 * @param detail a message for the caller, free of tokens and claim values of untrusted tokens
 */
public record AccessDecision(
    Optional<ErrorCode> errorCode,
    Optional<String> reason,
    Optional<String> subject,
    Optional<AuthenticatedIdentity> identity,
    String detail) {

  public boolean allowed() {
    return errorCode.isEmpty();
  }

  /**
   * The latest moment a credential resolved under this decision may stay cached: the JWT's {@code
   * exp} for user and group grants; empty (no identity-imposed bound) otherwise.
   */
  public Optional<Instant> notAfter() {
    return identity
        .filter(VerifiedIdentity.class::isInstance)
        .map(i -> ((VerifiedIdentity) i).expiresAt());
  }

  static AccessDecision allowed(AuthenticatedIdentity identity) {
    return new AccessDecision(
        Optional.empty(),
        Optional.empty(),
        Optional.ofNullable(identity).map(AuthenticatedIdentity::describe),
        Optional.ofNullable(identity),
        "allowed");
  }

  static AccessDecision identityInvalid(IdentityRejected rejected) {
    return new AccessDecision(
        Optional.of(ErrorCode.IDENTITY_INVALID),
        Optional.of(rejected.reason().code()),
        rejected.subject(),
        Optional.empty(),
        rejected.getMessage());
  }

  static AccessDecision principalMismatch(
      PrincipalDecision decision, AuthenticatedIdentity identity) {
    return new AccessDecision(
        Optional.of(ErrorCode.PRINCIPAL_MISMATCH),
        decision.reason().map(MismatchReason::code),
        Optional.ofNullable(identity).map(AuthenticatedIdentity::describe),
        Optional.ofNullable(identity),
        decision.detail());
  }

  static AccessDecision selectionFailed(
      GrantSelectionFailed failed, AuthenticatedIdentity identity) {
    return new AccessDecision(
        Optional.of(failed.errorCode()),
        Optional.empty(),
        Optional.ofNullable(identity).map(AuthenticatedIdentity::describe),
        Optional.ofNullable(identity),
        failed.getMessage());
  }
}
