package dev.alter.service.catalog;

import java.util.List;

/**
 * How a provider's access tokens are minted from the long-lived secret the service stores
 * (SECURITY.md invariant 4: the long-lived part never leaves the service).
 *
 * @param kind {@link #CLIENT_CREDENTIALS}, {@link #REFRESH_TOKEN} or {@link #GITHUB_APP}
 * @param tokenEndpoint the provider's token endpoint (or GitHub's API base URL), when it is the
 *     same for every customer; otherwise the secret's {@code token_endpoint} part gives it
 * @param tokenEndpoints destination patterns a {@code token_endpoint} part must match; empty for
 *     the generic entries, whose token endpoint is the operator's choice
 * @param authMethod the default client authentication ({@code client_secret_basic}, {@code
 *     client_secret_post} or {@code private_key_jwt})
 * @param grantType the grant type sent, when the provider uses its own (Zoom's {@code
 *     account_credentials})
 * @param scope the scope sent when the secret names none
 * @param formParts stored parts sent as form parameters under their own names (Zoom's {@code
 *     account_id})
 */
public record Minting(
    String kind,
    String tokenEndpoint,
    List<String> tokenEndpoints,
    String authMethod,
    String grantType,
    String scope,
    List<String> formParts) {
  public static final String CLIENT_CREDENTIALS = "oauth_client_credentials";
  public static final String REFRESH_TOKEN = "oauth_refresh_token";
  public static final String GITHUB_APP = "github_app";

  public Minting {
    tokenEndpoints = tokenEndpoints == null ? List.of() : List.copyOf(tokenEndpoints);
    formParts = formParts == null ? List.of() : List.copyOf(formParts);
    if (!List.of(CLIENT_CREDENTIALS, REFRESH_TOKEN, GITHUB_APP).contains(kind)) {
      throw new IllegalArgumentException("unknown minting kind " + kind);
    }
  }
}
