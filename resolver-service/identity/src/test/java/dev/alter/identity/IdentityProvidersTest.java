package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing a token to its IdP by issuer, and registering, replacing and removing IdPs at run time.
 */
class IdentityProvidersTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final String PARTNER_ISSUER = "https://login.partner.test";

  private final RSAKey corpKey = TestKeys.rsa("rsa-1");
  private final RSAKey partnerKey = TestKeys.rsa("partner-1");
  private IdentityProviders providers;

  @BeforeEach
  void providers() {
    providers = new IdentityProviders(JwksFetchPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    providers.put(idp("idp_corp", Tokens.ISSUER, corpKey, Tokens.AUDIENCE));
    providers.put(idp("idp_partner", PARTNER_ISSUER, partnerKey, Tokens.AUDIENCE));
  }

  @AfterEach
  void close() {
    providers.close();
  }

  @Test
  void tokensAreRoutedToTheIdpOfTheirIssuer() throws Exception {
    assertThat(providers.verify(token(corpKey, Tokens.ISSUER, Tokens.AUDIENCE)).idpId())
        .isEqualTo("idp_corp");
    assertThat(providers.verify(token(partnerKey, PARTNER_ISSUER, Tokens.AUDIENCE)).idpId())
        .isEqualTo("idp_partner");
  }

  @Test
  void unknownOrMissingIssuerIsAnIssuerMismatch() {
    String unknown = token(corpKey, "https://unknown.example", Tokens.AUDIENCE);
    assertRejected(() -> providers.verify(unknown), unknown, RejectionReason.ISSUER_MISMATCH);

    String none =
        Tokens.sign(corpKey, JWSAlgorithm.RS256, Tokens.claims(NOW, "alice").issuer(null).build());
    assertRejected(() -> providers.verify(none), none, RejectionReason.ISSUER_MISMATCH);
  }

  @Test
  void nonJwsInputIsMalformed() {
    for (String bad : List.of("", "abc", "a.b", "eyJhbGciOiJSU0EtT0FFUCJ9.x.y.z.w", "a.!!!.c")) {
      assertRejected(() -> providers.verify(bad), bad, RejectionReason.MALFORMED);
    }
  }

  @Test
  void idpsSharingAnIssuerAreTriedInTurn() throws Exception {
    providers.put(idp("idp_corp_batch", Tokens.ISSUER, corpKey, "batch-jobs"));

    assertThat(providers.verify(token(corpKey, Tokens.ISSUER, "batch-jobs")).idpId())
        .isEqualTo("idp_corp_batch");
    assertThat(providers.verify(token(corpKey, Tokens.ISSUER, Tokens.AUDIENCE)).idpId())
        .isEqualTo("idp_corp");

    String neither = token(corpKey, Tokens.ISSUER, "billing");
    assertRejected(() -> providers.verify(neither), neither, RejectionReason.AUDIENCE_MISMATCH);
  }

  @Test
  void theSameConfigurationAgainKeepsTheVerifierInUse() throws Exception {
    java.util.concurrent.atomic.AtomicInteger built =
        new java.util.concurrent.atomic.AtomicInteger();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (IdentityProviders counted =
        new IdentityProviders(
            config -> {
              built.incrementAndGet();
              return TokenVerifier.create(config, JwksFetchPolicy.defaults(), clock);
            })) {
      counted.put(idp("idp_corp", Tokens.ISSUER, corpKey, Tokens.AUDIENCE));
      counted.put(idp("idp_corp", Tokens.ISSUER, corpKey, Tokens.AUDIENCE));
      assertThat(built).as("an equal configuration builds no new verifier").hasValue(1);

      counted.put(idp("idp_corp", Tokens.ISSUER, corpKey, "batch-jobs"));
      assertThat(built).as("a changed one does").hasValue(2);
      assertThat(counted.verify(token(corpKey, Tokens.ISSUER, "batch-jobs")).idpId())
          .isEqualTo("idp_corp");
    }
  }

  @Test
  void verifyWithNamesTheIdp() throws Exception {
    String corp = token(corpKey, Tokens.ISSUER, Tokens.AUDIENCE);

    assertThat(providers.verifyWith("idp_corp", corp).userId()).isEqualTo("alice");
    assertRejected(
        () -> providers.verifyWith("idp_partner", corp), corp, RejectionReason.UNKNOWN_KEY);
    assertRejected(
        () -> providers.verifyWith("idp_gone", corp), corp, RejectionReason.ISSUER_MISMATCH);
  }

  @Test
  void replacingAnIdpAppliesAtOnceAndRemovingItStopsItsTokens() throws Exception {
    String token = token(corpKey, Tokens.ISSUER, Tokens.AUDIENCE);
    assertThat(providers.verify(token).userId()).isEqualTo("alice");

    providers.put(
        providers.get("idp_corp").orElseThrow().toBuilder().audiences("another-audience").build());
    assertRejected(() -> providers.verify(token), token, RejectionReason.AUDIENCE_MISMATCH);

    providers.remove("idp_corp");
    assertThat(providers.get("idp_corp")).isEmpty();
    assertRejected(() -> providers.verify(token), token, RejectionReason.ISSUER_MISMATCH);
  }

  private static IdentityProviderConfig idp(String id, String issuer, RSAKey key, String audience) {
    return IdentityProviderConfig.builder()
        .idpId(id)
        .issuer(issuer)
        .jwks(JwksLocation.jwksJson(new JWKSet(key).toString(true)))
        .audiences(audience)
        .algorithms(SigningAlgorithm.RS256)
        .build();
  }

  private static String token(RSAKey key, String issuer, String audience) {
    return Tokens.sign(
        key,
        JWSAlgorithm.RS256,
        Tokens.claims(NOW, "alice").issuer(issuer).audience(List.of(audience)).build());
  }
}
