package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.policy.GrantPolicy;
import dev.alter.service.store.AgentRepository;
import dev.alter.service.store.AppRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.IdpRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Grants: who may use a managed secret. */
public final class GrantService {
  private final Database db;
  private final AppRepository apps;
  private final SecretRepository secrets;
  private final GrantRepository grants;
  private final IdpRepository idps;
  private final AgentRepository agents;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final Clock clock;

  public GrantService(
      Database db,
      AppRepository apps,
      SecretRepository secrets,
      GrantRepository grants,
      IdpRepository idps,
      AgentRepository agents,
      AuditTrail audit,
      ChangeLog changes,
      Clock clock) {
    this.db = db;
    this.changes = changes;
    this.idps = idps;
    this.agents = agents;
    this.apps = apps;
    this.secrets = secrets;
    this.grants = grants;
    this.audit = audit;
    this.clock = clock;
  }

  public Views.Grant create(Caller caller, Requests.CreateGrant r) {
    if (r.secretId() == null || r.secretId().isEmpty()) {
      throw ApiException.invalid("secret_id is required");
    }
    String label = r.label() == null ? null : SecretValidation.label("label", r.label());
    Map<String, String> principal = Principals.validate(r.principal());
    long now = clock.millis();
    Long expiresAt = null;
    if (r.expiresAt() != null) {
      expiresAt = Times.parse("expires_at", r.expiresAt());
      if (expiresAt <= now) {
        throw ApiException.invalid("expires_at must be in the future");
      }
    }
    Long expires = expiresAt;
    GrantPolicy policy = GrantPolicy.validate(r.policy(), principal.get("type"));
    checkNotBefore(policy, expires);
    return view(
        db.inTransaction(
            c -> {
              SecretRecord secret =
                  secrets
                      .find(c, r.secretId())
                      .filter(s -> !s.deleted())
                      .orElseThrow(() -> ApiException.notFound("secret", r.secretId()));
              // A user or group grant names a registered IdP, an agent grant a registered agent.
              String idpId = principal.get("idp_id");
              if (idpId != null && idps.find(c, idpId).isEmpty()) {
                throw ApiException.notFound("identity provider", idpId);
              }
              String agentId = principal.get("agent_id");
              if (agentId != null && agents.find(c, agentId).isEmpty()) {
                throw ApiException.notFound("agent", agentId);
              }
              GrantRecord g =
                  new GrantRecord(
                      ApiKeys.newId(WireFormat.GRANT_ID_PREFIX),
                      secret.secretId(),
                      secret.appId(),
                      label,
                      principal.get("type"),
                      Principals.toJson(principal),
                      now,
                      expires,
                      null,
                      policy == null ? null : policy.toJson());
              grants.insert(c, g);
              changes.grantCreated(c, g.appId(), g.secretId(), g.grantId());
              audit.write(
                  c,
                  AuditTrail.event(caller.actor(), "grant.create", AuditTrail.OK)
                      .app(g.appId())
                      .secret(g.secretId())
                      .grant(g.grantId())
                      .principal(Principals.describe(principal))
                      .reason(policy == null ? null : "policy " + policy.toJson()));
              return g;
            }));
  }

  /** Grants of one secret, of one app, or all when both are null. */
  public Views.Grants list(String secretId, String appId) {
    if (secretId != null && appId != null) {
      throw ApiException.invalid("filter by secret_id or by app_id, not both");
    }
    List<GrantRecord> found =
        db.inTransaction(
            c -> {
              if (secretId != null) {
                if (secrets.find(c, secretId).isEmpty()) {
                  throw ApiException.notFound("secret", secretId);
                }
                return grants.listBySecret(c, secretId);
              }
              if (appId != null) {
                if (apps.find(c, appId).isEmpty()) {
                  throw ApiException.notFound("app", appId);
                }
                return grants.listByApp(c, appId);
              }
              return grants.listAll(c);
            });
    return new Views.Grants(found.stream().map(GrantService::view).toList());
  }

  public Views.Grant get(String grantId) {
    return view(
        db.inTransaction(c -> grants.find(c, grantId))
            .orElseThrow(() -> ApiException.notFound("grant", grantId)));
  }

  /**
   * Replaces the grant's policy in place (same grant id); an empty policy removes it. A change is
   * audited with the new policy; setting the same policy again changes and audits nothing.
   *
   * <p>Running agents learn of it when their cached answer ends (its TTL) or, with the change feed,
   * at once: this is a write path that changes what an agent may inject.
   */
  public Views.Grant setPolicy(Caller caller, String grantId, Requests.Policy requested) {
    return view(
        db.inTransaction(
            c -> {
              GrantRecord g =
                  grants
                      .find(c, grantId)
                      .orElseThrow(() -> ApiException.notFound("grant", grantId));
              if (g.revokedAt() != null) {
                throw new ApiException(
                    ErrorCode.CONFLICT, "grant " + grantId + " is revoked; its policy is final");
              }
              GrantPolicy policy = GrantPolicy.validate(requested, g.principalType());
              checkNotBefore(policy, g.expiresAt());
              String json = policy == null ? null : policy.toJson();
              if (java.util.Objects.equals(json, g.policyJson())) {
                return g;
              }
              grants.updatePolicy(c, grantId, json);
              changes.grantUpdated(c, g.appId(), g.secretId(), grantId);
              audit.write(
                  c,
                  AuditTrail.event(caller.actor(), "grant.policy", AuditTrail.OK)
                      .app(g.appId())
                      .secret(g.secretId())
                      .grant(grantId)
                      .principal(Principals.describe(Principals.parse(g.principalJson())))
                      .reason(json == null ? "policy removed" : "policy " + json));
              return grants.find(c, grantId).orElseThrow();
            }));
  }

  private static void checkNotBefore(GrantPolicy policy, Long expiresAt) {
    if (policy != null
        && policy.view().notBefore() != null
        && expiresAt != null
        && Times.parse("policy.not_before", policy.view().notBefore()) >= expiresAt) {
      throw ApiException.invalid("policy.not_before must be before the grant's expires_at");
    }
  }

  /** Revokes the grant; revoking it again answers it unchanged. */
  public Views.Grant revoke(Caller caller, String grantId) {
    return view(
        db.inTransaction(
            c -> {
              GrantRecord g =
                  grants
                      .find(c, grantId)
                      .orElseThrow(() -> ApiException.notFound("grant", grantId));
              if (grants.revoke(c, grantId, clock.millis())) {
                changes.grantRevoked(c, g.appId(), g.secretId(), grantId);
                audit.write(
                    c,
                    AuditTrail.event(caller.actor(), "grant.revoke", AuditTrail.OK)
                        .app(g.appId())
                        .secret(g.secretId())
                        .grant(grantId)
                        .principal(Principals.describe(Principals.parse(g.principalJson()))));
              }
              return grants.find(c, grantId).orElseThrow();
            }));
  }

  static Views.Grant view(GrantRecord g) {
    return new Views.Grant(
        g.grantId(),
        g.secretId(),
        g.appId(),
        g.label(),
        Principals.parse(g.principalJson()),
        Times.format(g.createdAt()),
        Times.format(g.expiresAt()),
        Times.format(g.revokedAt()),
        policyView(g));
  }

  /**
   * The stored policy as shown; a stored policy that no longer validates is shown as stored (its
   * grant's resolves fail closed until it is set again).
   */
  private static Requests.Policy policyView(GrantRecord g) {
    if (g.policyJson() == null) {
      return null;
    }
    try {
      GrantPolicy policy = GrantPolicy.fromJson(g.policyJson(), g.principalType());
      return policy == null ? null : policy.view();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }
}
