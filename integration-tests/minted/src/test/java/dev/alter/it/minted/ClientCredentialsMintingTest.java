package dev.alter.it.minted;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * OAuth 2.0 client credentials against Spring Authorization Server: the service authenticates the
 * way the secret says, asks for its scope, audience and resource, and the app's request carries the
 * token the authorization server issued (verified with the server's key), minted once and reused; a
 * revoked client or an unreachable endpoint fails closed with its code.
 */
class ClientCredentialsMintingTest {
  private static LocalAuthorizationServer authorizationServer;
  private static MintingWorld world;

  @BeforeAll
  static void start() {
    authorizationServer = LocalAuthorizationServer.start();
    world = new MintingWorld("client-credentials", null, Map.of());
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
    if (authorizationServer != null) {
      authorizationServer.close();
    }
  }

  private static NewSecret clientCredentials(String clientSecretOrKey, String clientId) {
    return NewSecret.provider(world.app.appId, "oauth2-client-credentials", clientSecretOrKey)
        .credentialPart("client_id", clientId)
        .credentialPart("token_endpoint", authorizationServer.tokenEndpoint())
        .destinations(world.provider.origin())
        // the authorization server listens on plain HTTP on loopback: allowed explicitly
        .allowPlainHttp(true);
  }

  @Test
  void clientSecretBasicMintsOneTokenWithTheRequestedScopeAudienceAndResource() {
    String clientSecret = "cs-basic-canary-" + RandomHex.of(16);
    authorizationServer.registerSecretClient(
        "alter-basic", clientSecret, ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(
                clientCredentials(clientSecret, "alter-basic")
                    .credentialPart("scope", "reports.read")
                    .credentialPart("audience", "reports-api")
                    .credentialPart("resource", "https://reports.example/api")
                    .credentialPart("extra_params", "tenant_hint=acme")),
            "basic");
    int before = authorizationServer.tokenRequests();

    String first = world.bearerReceived(grant);
    String second = world.bearerReceived(grant);
    String third = world.bearerReceived(grant);

    assertThat(second).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    assertThat(authorizationServer.tokenRequests() - before).isEqualTo(1);
    Jwt token = authorizationServer.verify(first);
    assertThat(token.getSubject()).isEqualTo("alter-basic");
    assertThat(token.getClaimAsStringList("scope")).containsExactly("reports.read");
    assertThat(token.getClaimAsString("requested_audience")).isEqualTo("reports-api");
    assertThat(token.getClaimAsString("requested_resource"))
        .isEqualTo("https://reports.example/api");
    assertThat(token.getClaimAsString("requested_tenant_hint")).isEqualTo("acme");
    world.assertNowhere(clientSecret);
  }

  @Test
  void clientSecretPostAuthenticatesInTheForm() {
    String clientSecret = "cs-post-canary-" + RandomHex.of(16);
    authorizationServer.registerSecretClient(
        "alter-post", clientSecret, ClientAuthenticationMethod.CLIENT_SECRET_POST);
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(
                clientCredentials(clientSecret, "alter-post")
                    .credentialPart("auth_method", "client_secret_post")),
            "post");

    Jwt token = authorizationServer.verify(world.bearerReceived(grant));

    assertThat(token.getSubject()).isEqualTo("alter-post");
    world.assertNowhere(clientSecret);
  }

  @Test
  void privateKeyJwtSignsAClientAssertionWithTheStoredKey() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("alter-client-key").generate();
    authorizationServer.registerPrivateKeyJwtClient("alter-jwt", key);
    String pem = pkcs8Pem(key);
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(
                clientCredentials(pem, "alter-jwt")
                    .credentialPart("auth_method", "private_key_jwt")
                    .credentialPart("key_id", "alter-client-key")
                    .credentialPart("scope", "reports.read")),
            "jwt");

    Jwt token = authorizationServer.verify(world.bearerReceived(grant));

    assertThat(token.getSubject()).isEqualTo("alter-jwt");
    // the key's base64 body is what would leak: no line of it may appear anywhere
    String body = pem.split("\n")[2];
    world.assertNowhere(body);
  }

  @Test
  void aRevokedClientFailsClosedWithItsCodeAndNothingIsSent() {
    String clientSecret = "cs-revoked-canary-" + RandomHex.of(16);
    authorizationServer.registerSecretClient(
        "alter-revoked", clientSecret, ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(clientCredentials(clientSecret, "alter-revoked")), "revoked");
    authorizationServer.disable("alter-revoked");

    world.failsClosed(grant, "token_endpoint_refused");
    world.assertNowhere(clientSecret);
  }

  @Test
  void anUnreachableTokenEndpointFailsClosedWithItsCode() {
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(
                clientCredentials("cs-unreachable-" + RandomHex.of(8), "alter-nowhere")
                    .credentialPart("token_endpoint", "http://127.0.0.1:1/oauth2/token")),
            "unreachable");

    world.failsClosed(grant, "token_endpoint_unavailable");
  }

  @Test
  void aTokenEndpointThatAnswersSomethingElseFailsClosedAsMalformed() {
    String grant =
        world.admin.createSystemGrant(
            world.admin.storeSecretId(
                clientCredentials("cs-malformed-" + RandomHex.of(8), "alter-basic")
                    .credentialPart("token_endpoint", authorizationServer.notATokenEndpoint())),
            "malformed");

    world.failsClosed(grant, "token_endpoint_malformed");
  }

  private static String pkcs8Pem(RSAKey key) throws Exception {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(key.toPrivateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
