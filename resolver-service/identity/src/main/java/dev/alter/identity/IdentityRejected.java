package dev.alter.identity;

import dev.alter.contract.ErrorCode;
import java.util.Optional;

/**
 * The presented identity was not verified. Maps to {@link ErrorCode#IDENTITY_INVALID}; the {@link
 * #reason()} says which check failed. The message is built only from fixed text, the IdP id and
 * verified values — never from the token or from claims of an unverified token — so it may be
 * logged, audited and returned to the caller.
 */
public final class IdentityRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;
  private final String idpId;
  private final String subject;

  IdentityRejected(
      RejectionReason reason, String idpId, String subject, String detail, Throwable cause) {
    super(describe(reason, idpId, detail), cause, false, true);
    this.reason = reason;
    this.idpId = idpId;
    this.subject = subject;
  }

  static IdentityRejected of(RejectionReason reason, String idpId, String detail) {
    return new IdentityRejected(reason, idpId, null, detail, null);
  }

  /** For checks after the signature verified: the subject is then known and worth auditing. */
  static IdentityRejected ofVerifiedSubject(
      RejectionReason reason, String idpId, String subject, String detail) {
    return new IdentityRejected(reason, idpId, subject, detail, null);
  }

  public RejectionReason reason() {
    return reason;
  }

  public ErrorCode errorCode() {
    return ErrorCode.IDENTITY_INVALID;
  }

  /** The IdP (or, for agent tokens, nothing) the token was checked against. */
  public Optional<String> idpId() {
    return Optional.ofNullable(idpId);
  }

  /**
   * Who, for audit, in {@link AuthenticatedIdentity#describe()} form ({@code user:idp_…/alice},
   * {@code agent:agt_…}): known when the token was genuine but failed a later check (expired, wrong
   * audience, revoked agent token); empty when the token could not be trusted at all.
   */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  private static String describe(RejectionReason reason, String idpId, String detail) {
    return "identity rejected ("
        + reason.code()
        + ")"
        + (idpId == null ? "" : " by " + idpId)
        + (detail == null ? "" : ": " + detail);
  }
}
