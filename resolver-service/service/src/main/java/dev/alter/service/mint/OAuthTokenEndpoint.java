package dev.alter.service.mint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.alter.contract.ErrorCode;
import dev.alter.service.catalog.Minting;
import java.io.IOException;
import java.net.URI;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Token requests to an OAuth 2.0 token endpoint: client credentials (RFC 6749 §4.4, or a provider's
 * own grant type such as Zoom's {@code account_credentials}) and refresh tokens (§6), with {@code
 * client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} (RFC 7523) or no client
 * authentication. Redirects are never followed: a token request goes to the stored endpoint only.
 */
public final class OAuthTokenEndpoint {
  /** What a successful token request gave: the access token and, if it rotated, the next one. */
  public record Answer(MintedToken token, String nextRefreshToken) {
    @Override
    public String toString() {
      return "Answer[" + token + ", refreshTokenRotated=" + (nextRefreshToken != null) + "]";
    }
  }

  private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,64}");

  private final Duration timeout;
  private final Duration defaultLifetime;
  private final Clock clock;

  /**
   * @param defaultLifetime how long to reuse a token whose answer gives no {@code expires_in}
   */
  public OAuthTokenEndpoint(Duration timeout, Duration defaultLifetime, Clock clock) {
    this.timeout = timeout;
    this.defaultLifetime = defaultLifetime;
    this.clock = clock;
  }

  /**
   * @param credential the stored primary credential: client secret, private key or refresh token
   */
  public Answer request(MintingSettings s, String credential, String grantId) {
    boolean refresh = Minting.REFRESH_TOKEN.equals(s.minting().kind());
    AuthorizationGrant grant =
        refresh
            ? new RefreshTokenGrant(new RefreshToken(credential))
            : s.minting().grantType() == null
                ? new ClientCredentialsGrant()
                : new ProviderGrant(new GrantType(s.minting().grantType()));
    ClientAuthentication auth = authentication(s, refresh ? s.clientSecret() : credential);
    TokenRequest.Builder builder =
        auth == null
            ? new TokenRequest.Builder(s.tokenEndpoint(), new ClientID(s.clientId()), grant)
            : new TokenRequest.Builder(s.tokenEndpoint(), auth, grant);
    if (auth instanceof PrivateKeyJWT) {
      // optional in RFC 7521 §4.2, required by some servers (Spring Authorization Server)
      builder.customParameter("client_id", s.clientId());
    }
    if (s.scope() != null) {
      builder.scope(Scope.parse(s.scope()));
    }
    if (s.resource() != null) {
      builder.resources(URI.create(s.resource()));
    }
    if (s.audience() != null) {
      builder.customParameter("audience", s.audience());
    }
    s.extraParams().forEach(builder::customParameter);
    return send(builder.build(), refresh, grantId);
  }

  private ClientAuthentication authentication(MintingSettings s, String secretOrKey) {
    ClientID client = new ClientID(s.clientId());
    switch (s.authMethod()) {
      case MintingSettings.SECRET_BASIC:
        return new ClientSecretBasic(client, new Secret(secretOrKey));
      case MintingSettings.SECRET_POST:
        return new ClientSecretPost(client, new Secret(secretOrKey));
      case MintingSettings.PRIVATE_KEY_JWT:
        PrivateKey key = PemPrivateKeys.parse(secretOrKey);
        try {
          return new PrivateKeyJWT(
              client,
              s.tokenEndpoint(),
              key instanceof ECPrivateKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256,
              key,
              s.keyId(),
              null);
        } catch (JOSEException e) {
          throw new MintFailure(
              ErrorCode.TOKEN_ENDPOINT_REFUSED,
              "the stored private key cannot sign a client assertion ("
                  + e.getClass().getSimpleName()
                  + ")");
        }
      default:
        return null; // a public client: client_id in the form
    }
  }

  private Answer send(TokenRequest request, boolean refresh, String grantId) {
    HTTPRequest http = request.toHTTPRequest();
    http.setConnectTimeout((int) timeout.toMillis());
    http.setReadTimeout((int) timeout.toMillis());
    http.setFollowRedirects(false);
    Instant sentAt = clock.instant();
    HTTPResponse response;
    try {
      response = http.send();
    } catch (IOException e) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE,
          "the token endpoint of grant "
              + grantId
              + " could not be reached ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (response.getStatusCode() >= 500) {
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE,
          "the token endpoint of grant " + grantId + " answered HTTP " + response.getStatusCode());
    }
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(response);
    } catch (ParseException e) {
      throw malformed(grantId, response.getStatusCode());
    }
    if (!parsed.indicatesSuccess()) {
      ErrorObject error = parsed.toErrorResponse().getErrorObject();
      String code = error == null ? null : error.getCode();
      if (refresh && "invalid_grant".equals(code)) {
        throw new MintFailure(
            ErrorCode.REAUTHORIZATION_REQUIRED,
            "the provider rejected the stored refresh token of grant "
                + grantId
                + " (invalid_grant): store a new one");
      }
      throw new MintFailure(
          ErrorCode.TOKEN_ENDPOINT_REFUSED,
          "the token endpoint of grant "
              + grantId
              + " refused the stored client credentials ("
              + (code != null && OAUTH_ERROR.matcher(code).matches()
                  ? code
                  : "HTTP " + response.getStatusCode())
              + ")");
    }
    AccessTokenResponse ok = parsed.toSuccessResponse();
    if (ok.getTokens() == null || ok.getTokens().getAccessToken() == null) {
      throw malformed(grantId, response.getStatusCode());
    }
    long lifetime = ok.getTokens().getAccessToken().getLifetime();
    Instant expiresAt = lifetime > 0 ? sentAt.plusSeconds(lifetime) : sentAt.plus(defaultLifetime);
    RefreshToken next = ok.getTokens().getRefreshToken();
    return new Answer(
        MintedToken.of(ok.getTokens().getAccessToken().getValue(), sentAt, expiresAt),
        next == null ? null : next.getValue());
  }

  private static MintFailure malformed(String grantId, int status) {
    return new MintFailure(
        ErrorCode.TOKEN_ENDPOINT_MALFORMED,
        "the token endpoint of grant "
            + grantId
            + " answered HTTP "
            + status
            + " without a token response");
  }

  /** A provider's own grant type that takes no parameters of its own (Zoom's). */
  private static final class ProviderGrant extends AuthorizationGrant {
    ProviderGrant(GrantType type) {
      super(type);
    }

    @Override
    public Map<String, List<String>> toParameters() {
      return Map.of("grant_type", List.of(getType().getValue()));
    }
  }
}
