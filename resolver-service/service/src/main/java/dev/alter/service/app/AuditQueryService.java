package dev.alter.service.app;

import dev.alter.service.store.AppRepository;
import dev.alter.service.store.AuditEvent;
import dev.alter.service.store.AuditQuery;
import dev.alter.service.store.AuditRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.SecretRepository;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the audit trail, newest first, with filters and an opaque paging cursor. */
public final class AuditQueryService {
  public static final Set<String> PARAMETERS =
      Set.of(
          "app_id", "secret_id", "grant_id", "outcome", "action", "from", "to", "limit", "cursor");
  private static final Set<String> OUTCOMES =
      Set.of(AuditTrail.OK, AuditTrail.ALLOWED, AuditTrail.DENIED);

  /** The audit's action names (the portal's filter offers them). */
  public static final Set<String> ACTIONS =
      Set.of(
          "app.create",
          "app_key.create",
          "app_key.revoke",
          "secret.create",
          "secret.rotate",
          "secret.update",
          "secret.delete",
          "grant.create",
          "grant.revoke",
          "grant.policy",
          "grant.policy_refused",
          "resolve",
          "master_key.rewrap",
          "admin_key.create",
          "admin_key.revoke",
          "idp.create",
          "idp.update",
          "idp.delete",
          "agent.create",
          "agent.rotate_token",
          "agent.revoke",
          "portal.sign_in",
          "portal.sign_out",
          "webhook.create",
          "webhook.replay",
          "webhook.delete",
          "provider.rejected",
          "secret.reauthorization_required",
          "secret.refresh_token_rotated",
          "user_secret.store",
          "user_secret.rotate",
          "user_secret.delete",
          "user_secret.status",
          "user_secret_allowance.create",
          "user_secret_allowance.update",
          "user_secret_allowance.delete");

  private final Database db;
  private final AuditRepository repository;
  private final AppRepository apps;
  private final SecretRepository secrets;
  private final GrantRepository grants;

  public AuditQueryService(
      Database db,
      AuditRepository repository,
      AppRepository apps,
      SecretRepository secrets,
      GrantRepository grants) {
    this.db = db;
    this.repository = repository;
    this.apps = apps;
    this.secrets = secrets;
    this.grants = grants;
  }

  /**
   * @param params the query parameters, each given at most once
   */
  public Views.AuditPage query(Map<String, String> params) {
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw ApiException.invalid(
            "a query parameter is not one the audit takes; use "
                + String.join(", ", PARAMETERS.stream().sorted().toList()));
      }
    }
    String outcome = params.get("outcome");
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      throw ApiException.invalid("outcome must be allowed, denied or ok");
    }
    String action = params.get("action");
    if (action != null && !ACTIONS.contains(action)) {
      throw ApiException.invalid(
          "action must be one of " + String.join(", ", ACTIONS.stream().sorted().toList()));
    }
    int limit = 100;
    if (params.get("limit") != null) {
      try {
        limit = Integer.parseInt(params.get("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw ApiException.invalid("limit must be from 1 to 1000");
      }
    }
    Long from = params.get("from") == null ? null : Times.parse("from", params.get("from"));
    Long to = params.get("to") == null ? null : Times.parse("to", params.get("to"));
    Long before = params.get("cursor") == null ? null : decodeCursor(params.get("cursor"));
    AuditQuery q =
        new AuditQuery(
            id(params, "app_id"),
            id(params, "secret_id"),
            id(params, "grant_id"),
            outcome,
            action,
            from,
            to,
            limit,
            before);
    List<AuditEvent> events =
        db.inTransaction(
            c -> {
              // A filter naming nothing is a mistake, not an empty history (deleted secrets and
              // revoked grants still exist).
              if (q.appId() != null && apps.find(c, q.appId()).isEmpty()) {
                throw ApiException.notFound("app_id names no app");
              }
              if (q.secretId() != null && secrets.find(c, q.secretId()).isEmpty()) {
                throw ApiException.notFound("secret_id names no secret");
              }
              if (q.grantId() != null && grants.find(c, q.grantId()).isEmpty()) {
                throw ApiException.notFound("grant_id names no grant");
              }
              return repository.find(c, q);
            });
    String next = events.size() == limit ? encodeCursor(events.get(events.size() - 1).seq()) : null;
    return new Views.AuditPage(events.stream().map(AuditQueryService::view).toList(), next);
  }

  private static String id(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v != null && (v.isEmpty() || v.length() > 80)) {
      throw ApiException.invalid(name + " must be 1-80 characters");
    }
    return v;
  }

  private static String encodeCursor(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("seq:" + seq).getBytes(StandardCharsets.US_ASCII));
  }

  private static long decodeCursor(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (text.startsWith("seq:")) {
        return Long.parseLong(text.substring(4));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the validation error
    }
    throw ApiException.invalid("cursor is not a next_cursor this service returned");
  }

  private static Views.AuditEvent view(AuditEvent e) {
    return new Views.AuditEvent(
        e.eventId(),
        Times.format(e.occurredAt()),
        e.actor(),
        e.action(),
        e.appId(),
        e.secretId(),
        e.grantId(),
        e.principal(),
        e.destinationHost(),
        e.outcome(),
        e.reason(),
        e.fingerprint(),
        e.count(),
        e.lastOccurredAt() == null ? null : Times.format(e.lastOccurredAt()));
  }
}
