package dev.alter.service.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.alter.contract.InjectionSpec;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies the service accepts. Unknown fields are rejected by the mapper. Bodies that carry
 * credentials redact them in {@code toString()}.
 */
public final class Requests {
  private Requests() {}

  public record CreateApp(String name) {}

  /** {@code {}}: key creation and revocation take no parameters. */
  public record Empty() {}

  public record CreateSecret(
      String appId,
      String provider,
      String label,
      String credential,
      Map<String, String> credentialParts,
      InjectionSpec injection,
      List<String> destinations,
      Boolean allowPlainHttp,
      Integer ttlSeconds) {
    @Override
    public String toString() {
      return "CreateSecret{appId=" + appId + ", provider=" + provider + ", credential=[redacted]}";
    }
  }

  public record RotateCredential(String credential, Map<String, String> credentialParts) {
    @Override
    public String toString() {
      return "RotateCredential{credential=[redacted]}";
    }
  }

  /** {@code PATCH /v1/secrets/{id}}: any of the fields; {@code null} = unchanged. */
  public record UpdateSecret(
      String label,
      List<String> destinations,
      Boolean allowPlainHttp,
      Integer ttlSeconds,
      InjectionSpec injection) {}

  public record Principal(
      String type,
      String label,
      String userId,
      String idpId,
      String externalGroupId,
      String agentId) {}

  public record CreateGrant(
      String secretId, String label, Principal principal, String expiresAt, Policy policy) {}

  /**
   * A grant's policy (API.md, "Grant policies"); every field optional. It is also the form every
   * view of a grant shows, canonicalised.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Policy(
      String notBefore,
      List<Window> windows,
      List<String> networks,
      List<Rate> rateLimits,
      Integer resolvesPerMinute,
      List<String> requests,
      Long maxBodyBytes) {}

  /** Days of the week and hours {@code [from, to)} in an IANA zone; {@code to} may be 24:00. */
  public record Window(List<String> days, String from, String to, String zone) {}

  /** {@code per}: {@code grant} (default) or {@code identity} (user and group grants). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rate(Integer requests, Integer perSeconds, String per) {}

  /**
   * {@code POST /v1/idps}: exactly one key source, {@code jwks_url}, {@code jwks} (a JWKS JSON
   * document as text) or {@code jwks_pem} (PEM public keys or certificates as text).
   */
  public record CreateIdp(
      String issuer,
      String jwksUrl,
      String jwks,
      String jwksPem,
      List<String> audiences,
      List<String> algorithms,
      Integer clockSkewSeconds,
      String userClaim,
      String groupClaim) {}

  /** {@code PATCH /v1/idps/{id}}: any of the fields; {@code null} = unchanged. */
  public record UpdateIdp(
      String issuer,
      String jwksUrl,
      String jwks,
      String jwksPem,
      List<String> audiences,
      List<String> algorithms,
      Integer clockSkewSeconds,
      String userClaim,
      String groupClaim) {}

  public record CreateAgent(String label) {}

  /**
   * {@code PUT /v1/apps/{app_id}/user-secret-allowances/{provider}}: what the app's users may
   * upload; {@code null} destinations or injection = the catalog's.
   */
  public record AllowUserSecrets(
      List<String> destinations,
      InjectionSpec injection,
      List<String> idpIds,
      Integer maxPerUser) {}

  /**
   * A user-secret call of an app's backend: the user's JWT and, to store, the key. Where the key
   * goes is the operator's: the fields a user might try to set are declared only to be refused with
   * a clear message (any other unknown field is refused by the mapper).
   */
  public record UserSecretCall(
      String identity,
      String credential,
      String name,
      Object destinations,
      Object injection,
      Object allowPlainHttp,
      Object userId,
      Object idpId,
      Object credentialParts,
      Object ttlSeconds) {
    @Override
    public String toString() {
      return "UserSecretCall{name=" + name + ", identity=[redacted], credential=[redacted]}";
    }
  }

  public record CreateWebhook(
      String url, String description, Boolean allowPlainHttp, String after) {}

  public record ReplayWebhook(String after) {}

  /** A batch of usage counts from an agent ({@code POST /v1/usage/report}). */
  public record UsageReport(String batchId, List<UsageEntry> entries) {}

  public record UsageEntry(
      String grantId,
      String identityDigest,
      String minute,
      Long injected,
      Map<String, Long> refused,
      Map<String, Long> responses,
      @com.fasterxml.jackson.annotation.JsonProperty("401") Long status401,
      @com.fasterxml.jackson.annotation.JsonProperty("403") Long status403,
      @com.fasterxml.jackson.annotation.JsonProperty("429") Long status429) {}
}
