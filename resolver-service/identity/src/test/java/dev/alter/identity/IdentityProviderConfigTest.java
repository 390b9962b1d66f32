package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class IdentityProviderConfigTest {

  @Test
  void validConfigurationWithDefaults() {
    IdentityProviderConfig config = base().build();

    assertThat(config.idpId()).isEqualTo("idp_corp");
    assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.userClaim()).isEqualTo("sub");
    assertThat(config.groupClaim()).hasToString("groups");
    assertThat(config.jwks()).isInstanceOf(JwksLocation.Remote.class);
    assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
  }

  @Test
  void configurationsWithTheSameFixedKeysAreEqual() {
    String jwks = new JWKSet(TestKeys.ec("ec-1")).toString(true);
    IdentityProviderConfig config = base().jwks(JwksLocation.jwksJson(jwks)).build();

    assertThat(base().jwks(JwksLocation.jwksJson(jwks)).build()).isEqualTo(config);
    assertThat(config.toBuilder().issuer("https://other.example").build()).isNotEqualTo(config);
  }

  @Test
  void operatorAlgorithmNamesAreParsed() {
    IdentityProviderConfig config =
        base().algorithmNames(List.of("RS256", "PS256", "ES256", "EdDSA")).build();

    assertThat(config.algorithms()).containsExactlyInAnyOrder(SigningAlgorithm.values());
  }

  @Test
  void symmetricAndNoneAlgorithmsAreRefused() {
    for (String alg : List.of("HS256", "HS384", "HS512", "hs256")) {
      assertInvalid(() -> base().algorithmNames(List.of("RS256", alg)), "algorithms")
          .hasMessageContaining("symmetric");
    }
    for (String alg : List.of("none", "NONE")) {
      assertInvalid(() -> base().algorithmNames(List.of(alg)), "algorithms")
          .hasMessageContaining("never accepted");
    }
    assertInvalid(() -> base().algorithmNames(List.of("RS512")), "algorithms");
    assertInvalid(() -> base().algorithms(List.of()).build(), "algorithms");
  }

  @Test
  void requiredFieldsAndLimits() {
    assertInvalid(() -> base().idpId("corp").build(), "idp_id");
    assertInvalid(() -> base().idpId(null).build(), "idp_id");
    assertInvalid(() -> base().issuer(" ").build(), "issuer");
    assertInvalid(() -> base().issuer("https://idp\n.example").build(), "issuer");
    assertInvalid(() -> base().jwks(null).build(), "jwks");
    assertInvalid(() -> base().audiences(List.of()).build(), "audiences");
    assertInvalid(() -> base().audiences("").build(), "audiences");
    assertInvalid(() -> base().clockSkew(Duration.ofMinutes(6)).build(), "clock_skew");
    assertInvalid(() -> base().clockSkew(Duration.ofSeconds(-1)).build(), "clock_skew");
    assertInvalid(() -> base().userClaim("").build(), "user_claim");
  }

  @Test
  void jwksUrlMustBeHttpsExceptOnLoopback() {
    assertThat(JwksLocation.url("https://idp.example.com/.well-known/jwks.json").url().getHost())
        .isEqualTo("idp.example.com");
    assertThat(JwksLocation.url("http://127.0.0.1:8080/jwks")).isNotNull();
    assertThat(JwksLocation.url("http://localhost/jwks")).isNotNull();
    assertThat(JwksLocation.url("http://[::1]:9000/jwks")).isNotNull();

    assertInvalid(() -> JwksLocation.url("http://idp.example.com/jwks"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("http://127.0.0.1.evil.example/jwks"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("http://10.0.0.1/jwks"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("file:///etc/jwks.json"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("https://user:pw@idp.example.com/jwks"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("https://idp.example.com/jwks#x"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("/relative/jwks"), "jwks_url");
    assertInvalid(() -> JwksLocation.url("https://exa mple.com/"), "jwks_url");
  }

  @Test
  void jwksDocumentWithPrivateKeyMaterialIsRefused() {
    String withPrivate = new JWKSet(TestKeys.ec("ec-1")).toString(false);

    assertInvalid(() -> JwksLocation.jwksJson(withPrivate), "jwks").hasMessageContaining("private");
  }

  @Test
  void jwksDocumentMustHoldKeys() {
    assertInvalid(() -> JwksLocation.jwksJson("{\"keys\":[]}"), "jwks");
    assertInvalid(() -> JwksLocation.jwksJson("<html>"), "jwks");
    assertInvalid(() -> JwksLocation.jwksJson(""), "jwks");
  }

  @Test
  void pemWithPrivateKeyOrWithoutKeysIsRefused() {
    assertInvalid(
        () -> JwksLocation.pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
        "jwks_pem");
    assertInvalid(() -> JwksLocation.pem("just text"), "jwks_pem");
    assertInvalid(
        () -> JwksLocation.pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
        "jwks_pem");
  }

  private static IdentityProviderConfig.Builder base() {
    return IdentityProviderConfig.builder()
        .idpId("idp_corp")
        .issuer("https://idp.example.test/realms/corp")
        .jwksUrl("https://idp.example.test/realms/corp/protocol/openid-connect/certs")
        .audiences("alter-resolver")
        .algorithms(SigningAlgorithm.RS256);
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
      ThrowingCallable call, String field) {
    return assertThatThrownBy(call)
        .isInstanceOf(InvalidIdentityProviderConfig.class)
        .satisfies(e -> assertThat(((InvalidIdentityProviderConfig) e).field()).isEqualTo(field));
  }
}
