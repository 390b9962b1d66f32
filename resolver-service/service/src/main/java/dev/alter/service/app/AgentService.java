package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.identity.AgentTokenVerifier;
import dev.alter.identity.AgentTokens;
import dev.alter.identity.IssuedAgentToken;
import dev.alter.identity.StoredAgentToken;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.ProofKeys;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.AgentRecord;
import dev.alter.service.store.AgentRepository;
import dev.alter.service.store.Database;
import java.time.Clock;

/**
 * Managed agents: {@code /v1/agents}. A token is shown once, at creation or rotation; only its
 * proof key id and public key are stored. Rotation revokes the previous token in the same
 * transaction; revoking the agent revokes all of its tokens. The resolver looks tokens up on every
 * resolve ({@link #tokenLookup()}), so both apply at the next request.
 */
public final class AgentService {
  static final String AGENT_ID_PREFIX = "agt_";

  private final Database db;
  private final AgentRepository agents;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final Clock clock;

  public AgentService(
      Database db, AgentRepository agents, AuditTrail audit, ChangeLog changes, Clock clock) {
    this.db = db;
    this.changes = changes;
    this.agents = agents;
    this.audit = audit;
    this.clock = clock;
  }

  public Views.CreatedAgent create(Caller caller, Requests.CreateAgent r) {
    String label = SecretValidation.label("label", r.label());
    String agentId = ApiKeys.newId(AGENT_ID_PREFIX);
    IssuedAgentToken token = AgentTokens.issue(agentId);
    long now = clock.millis();
    db.inTransaction(
        c -> {
          agents.insert(c, agentId, label, now);
          agents.insertToken(c, agentId, ProofKeys.of(token.token()), now);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "agent.create", AuditTrail.OK)
                  .principal("agent:" + agentId));
          return null;
        });
    return new Views.CreatedAgent(agentId, label, Times.format(now), null, token.token());
  }

  public Views.Agents list() {
    return new Views.Agents(
        db.inTransaction(agents::listAll).stream().map(AgentService::view).toList());
  }

  public Views.Agent get(String agentId) {
    return view(
        db.inTransaction(c -> agents.find(c, agentId))
            .orElseThrow(() -> ApiException.notFound("agent", agentId)));
  }

  /**
   * A new token for the agent; its previous tokens are revoked. A revoked agent gets none (409).
   */
  public Views.NewAgentToken rotateToken(Caller caller, String agentId) {
    IssuedAgentToken token = AgentTokens.issue(agentId);
    long now = clock.millis();
    db.inTransaction(
        c -> {
          AgentRecord agent =
              agents.find(c, agentId).orElseThrow(() -> ApiException.notFound("agent", agentId));
          if (agent.revokedAt() != null) {
            throw new ApiException(
                ErrorCode.CONFLICT, "agent " + agentId + " is revoked; create a new agent");
          }
          agents.revokeTokens(c, agentId, now);
          changes.agentTokenRevoked(c, agentId);
          agents.insertToken(c, agentId, ProofKeys.of(token.token()), now);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "agent.rotate_token", AuditTrail.OK)
                  .principal("agent:" + agentId));
          return null;
        });
    return new Views.NewAgentToken(agentId, token.token(), Times.format(now));
  }

  /** Revokes the agent and its tokens; revoking it again answers it unchanged. */
  public Views.Agent revoke(Caller caller, String agentId) {
    return view(
        db.inTransaction(
            c -> {
              agents.find(c, agentId).orElseThrow(() -> ApiException.notFound("agent", agentId));
              long now = clock.millis();
              if (agents.revoke(c, agentId, now)) {
                agents.revokeTokens(c, agentId, now);
                changes.agentTokenRevoked(c, agentId);
                audit.write(
                    c,
                    AuditTrail.event(caller.actor(), "agent.revoke", AuditTrail.OK)
                        .principal("agent:" + agentId));
              }
              return agents.find(c, agentId).orElseThrow();
            }));
  }

  /** What {@link AgentTokenVerifier#stored} asks on every resolve: a fresh read, never a cache. */
  public AgentTokenVerifier.Lookup tokenLookup() {
    return keyId ->
        db.inTransaction(c -> agents.findToken(c, keyId))
            .map(
                t -> new StoredAgentToken(t.agentId(), t.proofKeyId(), t.publicKey(), t.revoked()));
  }

  static Views.Agent view(AgentRecord a) {
    return new Views.Agent(
        a.agentId(),
        a.label(),
        Times.format(a.createdAt()),
        Times.format(a.revokedAt()),
        Times.format(a.activeTokenCreatedAt()));
  }
}
