package dev.alter.service;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;

/**
 * {@code POST /v1/resolve} bodies, each with a fresh X25519 key (tests that only need the status).
 */
final class ResolveRequests {
  private ResolveRequests() {}

  static ApiClient.Response resolve(ApiClient api, String appKey, String grantId, String url) {
    byte[] publicKey = X25519Keys.rawPublicKey(X25519Keys.generate().getPublic());
    return api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":"
            + ApiClient.quote(grantId)
            + ",\"identity\":null,\"destination\":{\"method\":\"GET\",\"url\":"
            + ApiClient.quote(url)
            + "},\"public_key\":\""
            + CredentialSealing.encodePublicKey(publicKey)
            + "\"}");
  }
}
