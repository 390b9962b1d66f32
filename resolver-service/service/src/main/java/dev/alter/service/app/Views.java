package dev.alter.service.app;

import dev.alter.contract.InjectionSpec;
import dev.alter.service.catalog.Minting;
import java.util.List;
import java.util.Map;

/** The JSON bodies the service answers with (snake_case on the wire). */
public final class Views {
  private Views() {}

  public record App(String appId, String name, String createdAt) {}

  public record NewKey(String keyId, String key, String createdAt) {
    @Override
    public String toString() {
      return "NewKey{" + keyId + "}";
    }
  }

  public record CreatedApp(String appId, String name, String createdAt, NewKey apiKey) {
    @Override
    public String toString() {
      return "CreatedApp{" + appId + "}";
    }
  }

  public record Apps(List<App> apps) {}

  public record Key(String keyId, String createdAt, String revokedAt, String lastUsedAt) {}

  public record Keys(List<Key> keys) {}

  public record Secret(
      String secretId,
      String appId,
      String provider,
      String label,
      InjectionSpec injection,
      List<String> destinations,
      boolean allowPlainHttp,
      int ttlSeconds,
      long version,
      String fingerprint,
      String createdAt,
      String updatedAt,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          ProviderRejection providerRejection) {

    /** This view with the secret's open "rejected by provider" flag (null: none). */
    public Secret withProviderRejection(ProviderRejection flag) {
      return new Secret(
          secretId,
          appId,
          provider,
          label,
          injection,
          destinations,
          allowPlainHttp,
          ttlSeconds,
          version,
          fingerprint,
          createdAt,
          updatedAt,
          flag);
    }
  }

  public record Secrets(List<Secret> secrets) {}

  public record Grant(
      String grantId,
      String secretId,
      String appId,
      String label,
      Map<String, String> principal,
      String createdAt,
      String expiresAt,
      String revokedAt,
      Requests.Policy policy) {}

  public record Grants(List<Grant> grants) {}

  public record AuditEvent(
      String eventId,
      String time,
      String actor,
      String action,
      String appId,
      String secretId,
      String grantId,
      String principal,
      String destinationHost,
      String outcome,
      String reason,
      String fingerprint,
      int count,
      String lastTime) {}

  /**
   * One line of the export and one webhook body: the event and the cursor that resumes after it.
   */
  public record ExportedEvent(
      String cursor,
      String eventId,
      String time,
      String actor,
      String action,
      String appId,
      String secretId,
      String grantId,
      String principal,
      String destinationHost,
      String outcome,
      String reason,
      String fingerprint) {
    public static ExportedEvent of(String cursor, dev.alter.service.store.AuditEvent e) {
      return new ExportedEvent(
          cursor,
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
          e.fingerprint());
    }
  }

  public record Webhook(
      String receiverId,
      String url,
      String description,
      boolean allowPlainHttp,
      String status,
      String deliveredCursor,
      long backlog,
      int failedAttempts,
      String failingSince,
      String nextAttemptAt,
      String lastError,
      String lastDeliveredAt,
      String createdAt) {}

  /** Registration's answer: the signing secret appears here once and never again. */
  public record CreatedWebhook(Webhook receiver, String signingSecret) {
    @Override
    public String toString() {
      return "CreatedWebhook{" + receiver.receiverId() + ", signingSecret=[redacted]}";
    }
  }

  public record Webhooks(List<Webhook> receivers) {}

  public record UsageAccepted(int entries) {}

  public record UsageRow(
      String grantId,
      String identityDigest,
      String appId,
      String secretId,
      long injected,
      long refused,
      Map<String, Long> responses,
      @com.fasterxml.jackson.annotation.JsonProperty("401") long status401,
      @com.fasterxml.jackson.annotation.JsonProperty("403") long status403,
      @com.fasterxml.jackson.annotation.JsonProperty("429") long status429) {}

  public record ProviderRejection(
      String secretId,
      String appId,
      String firstSeen,
      String lastSeen,
      long count,
      long flaggedVersion) {}

  public record ProviderRejections(List<ProviderRejection> rejections) {}

  public record Usage(
      String from,
      String to,
      List<UsageRow> grants,
      Map<String, Map<String, Long>> refusedByCode,
      List<ProviderRejection> providerRejections) {}

  public record AuditPage(List<AuditEvent> events, String nextCursor) {}

  public record ProviderEntry(
      String id,
      String name,
      String description,
      String docs,
      InjectionSpec injection,
      List<String> destinations,
      List<String> parts,
      List<String> requiredParts,
      Minting minting) {}

  public record Providers(List<ProviderEntry> providers) {}

  public record MasterKeyUse(String keyId, long versionsWrapped, boolean configured) {}

  public record MasterKeys(String activeKeyId, List<MasterKeyUse> keys) {}

  public record Rewrap(String activeKeyId, long rewrapped, List<MasterKeyUse> keys) {}

  /** An identity provider; {@code jwks} / {@code jwks_pem} echo the operator's public-key text. */
  public record Idp(
      String idpId,
      String issuer,
      String jwksUrl,
      String jwks,
      String jwksPem,
      List<String> audiences,
      List<String> algorithms,
      int clockSkewSeconds,
      String userClaim,
      String groupClaim,
      String createdAt,
      String updatedAt) {}

  public record Idps(List<Idp> idps) {}

  public record Agent(
      String agentId, String label, String createdAt, String revokedAt, String tokenCreatedAt) {}

  public record Agents(List<Agent> agents) {}

  /** An agent with its new token, shown only in this answer. */
  public record CreatedAgent(
      String agentId, String label, String createdAt, String revokedAt, String token) {
    @Override
    public String toString() {
      return "CreatedAgent{" + agentId + "}";
    }
  }

  /** A rotated agent token, shown only in this answer; the previous one is revoked. */
  public record NewAgentToken(String agentId, String token, String createdAt) {
    @Override
    public String toString() {
      return "NewAgentToken{" + agentId + "}";
    }
  }

  public record UserSecretAllowance(
      String appId,
      String provider,
      InjectionSpec injection,
      List<String> destinations,
      List<String> idpIds,
      int maxPerUser,
      int storedKeys,
      String createdAt,
      String updatedAt) {}

  public record UserSecretAllowances(List<UserSecretAllowance> allowances) {}

  /** The answer to a user's upload: ids and a fingerprint, never the key. */
  public record UserSecretStored(
      String provider,
      String name,
      boolean created,
      String secretId,
      String grantId,
      long version,
      String fingerprint,
      String updatedAt) {}

  /**
   * Whether the user has a key stored: a fingerprint and times only, and the user grant that
   * requests name when the user keeps several keys for the provider.
   */
  public record UserSecretStatus(
      String provider,
      String name,
      boolean stored,
      String fingerprint,
      String updatedAt,
      String grantId) {}
}
