package dev.alter.it.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.testing.TestIdp;
import java.util.List;
import java.util.Map;

/** The identity calls of the admin API that the harness's {@link AdminClient} does not have. */
final class IdentityAdmin {
  private final AdminClient admin;

  IdentityAdmin(AdminClient admin) {
    this.admin = admin;
  }

  /** Registers {@code idp} (its JWKS URL, RS256 and ES256); returns the {@code idp_…} id. */
  String registerIdp(TestIdp idp) {
    return admin
        .call(
            "POST",
            "/v1/idps",
            Map.of(
                "issuer",
                idp.issuer(),
                "jwks_url",
                idp.jwksUrl(),
                "audiences",
                List.of(TestIdp.AUDIENCE),
                "algorithms",
                List.of("RS256", "ES256")))
        .path("idp_id")
        .asText();
  }

  /** A user grant of {@code secretId} for {@code userId} at {@code idpId}; returns the grant id. */
  String createUserGrant(String secretId, String label, String userId, String idpId) {
    return admin
        .call(
            "POST",
            "/v1/grants",
            Map.of(
                "secret_id",
                secretId,
                "label",
                label,
                "principal",
                Map.of("type", "user", "user_id", userId, "idp_id", idpId)))
        .path("grant_id")
        .asText();
  }

  /** A managed agent; the answer carries {@code agent_id} and its {@code token}, shown once. */
  JsonNode createAgent(String label) {
    return admin.call("POST", "/v1/agents", Map.of("label", label));
  }

  String createAgentGrant(String secretId, String label, String agentId) {
    return admin
        .call(
            "POST",
            "/v1/grants",
            Map.of(
                "secret_id",
                secretId,
                "label",
                label,
                "principal",
                Map.of("type", "agent", "agent_id", agentId)))
        .path("grant_id")
        .asText();
  }
}
