package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.identity.AccessDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit record and the {@code alter_resolutions} count of every resolve, allowed or refused.
 */
final class ResolveAudit {
  private static final Logger LOG = LoggerFactory.getLogger(ResolveAudit.class);

  private final AuditTrail audit;
  private final MeterRegistry metrics;
  private final RepeatedDenials repeatedDenials =
      new RepeatedDenials(RepeatedDenials.DEFAULT_WINDOW);

  /** The counter per outcome, looked up once (the registry sorts tags per call). */
  private final ConcurrentHashMap<String, Counter> outcomes = new ConcurrentHashMap<>();

  ResolveAudit(AuditTrail audit, MeterRegistry metrics) {
    this.audit = audit;
    this.metrics = metrics;
  }

  /** What the audit record of one resolve says; filled in as the checks pass. */
  static final class Attempt {
    final String actor;
    String appId;
    String grantId;
    String secretId;
    String principal;
    String host;
    String fingerprint;

    /** The failed identity check ({@code signature_invalid}, {@code other_user}, …), for audit. */
    String identityReason;

    /** Who presented the identity ({@code user:idp_…/alice}), when it could be trusted. */
    String subject;

    Attempt(String actor) {
      this.actor = actor;
    }

    /**
     * The refusal of an identity check: the decision's code and detail; reason and subject go to
     * audit.
     */
    ApiException denied(AccessDecision decision, String grantId) {
      identityReason = decision.reason().orElse(null);
      subject = decision.subject().orElse(null);
      return new ApiException(decision.errorCode().orElseThrow(), decision.detail(), grantId);
    }
  }

  /** Counts the outcome and writes its record; {@code error} is null for an allowed resolve. */
  void finish(Attempt a, ErrorCode error, String reason) {
    String outcome = error == null ? AuditTrail.ALLOWED : AuditTrail.DENIED;
    outcomes
        .computeIfAbsent(
            error == null ? "allowed" : error.code(),
            code -> metrics.counter("alter_resolutions", "outcome", code))
        .increment();
    String auditReason = auditReason(a, error, reason);
    RepeatedDenials.Kind kind =
        error == null
            ? null
            : new RepeatedDenials.Kind(a.appId, a.grantId, a.principal, a.host, auditReason);
    try {
      if (kind != null && countedAsRepeat(kind)) {
        return;
      }
      // Group commit: concurrent resolves share one audit transaction; this returns only once
      // this record is committed, so no allowed answer leaves without its audit record.
      String eventId =
          audit.writeCommitted(
              AuditTrail.event(a.actor, "resolve", outcome)
                  .app(a.appId)
                  .grant(a.grantId)
                  .secret(a.secretId)
                  .principal(a.principal)
                  .destinationHost(a.host)
                  .fingerprint(a.fingerprint)
                  .reason(auditReason));
      if (kind != null) {
        repeatedDenials.opened(kind, eventId, audit.millis());
      }
    } catch (RuntimeException e) {
      // The answer to the caller stands (a denial stays a denial); an allowed resolve whose
      // audit record cannot be written is refused by the caller seeing store_unavailable.
      if (error == null) {
        throw e;
      }
      LOG.warn("Could not audit a denied resolve: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * An identical denial inside the window of an earlier one raises that row's count; false when
   * this denial needs a row of its own (the first of its kind, or its window ended).
   */
  private boolean countedAsRepeat(RepeatedDenials.Kind kind) {
    String open = repeatedDenials.openRowFor(kind, audit.millis());
    if (open == null) {
      return false;
    }
    if (audit.countRepeat(open)) {
      return true;
    }
    repeatedDenials.closed(kind, open);
    return false;
  }

  /**
   * {@code <code>: <detail>}; identity denials add the failed check and the subject: {@code
   * identity_invalid: signature_invalid: <detail> (subject user:idp_…/alice)}. Allowed resolves
   * under an identity record only the subject. Never a token.
   */
  private static String auditReason(Attempt a, ErrorCode error, String detail) {
    String subject = a.subject == null ? "" : " (subject " + a.subject + ")";
    if (error == null) {
      return a.subject == null ? null : "subject " + a.subject;
    }
    return error.code()
        + ": "
        + (a.identityReason == null ? "" : a.identityReason + ": ")
        + detail
        + subject;
  }
}
