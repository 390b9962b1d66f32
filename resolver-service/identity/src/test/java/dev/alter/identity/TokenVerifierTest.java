package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.threeten.extra.MutableClock;

/** Genuine tokens of every allowed algorithm, and the claim checks with an injected clock. */
class TokenVerifierTest {
  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
  private static RSAKey rsa;
  private static ECKey ec;
  private static OctetKeyPair ed;
  private static JwksServer jwks;

  private MutableClock clock;
  private TokenVerifier verifier;

  @BeforeAll
  static void idp() {
    rsa = TestKeys.rsa("rsa-1");
    ec = TestKeys.ec("ec-1");
    ed = TestKeys.ed25519("ed-1");
    jwks = JwksServer.start().publish(rsa, ec, ed);
  }

  @AfterAll
  static void stop() {
    jwks.close();
  }

  @BeforeEach
  void verifier() {
    clock = MutableClock.of(START, ZoneOffset.UTC);
    verifier = verifierWith(config().build());
  }

  @AfterEach
  void close() {
    verifier.close();
  }

  static Stream<Arguments> everyAllowedAlgorithm() {
    return Stream.of(
        Arguments.of(JWSAlgorithm.RS256, "rsa"),
        Arguments.of(JWSAlgorithm.PS256, "rsa"),
        Arguments.of(JWSAlgorithm.ES256, "ec"),
        Arguments.of(JWSAlgorithm.EdDSA, "ed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyAllowedAlgorithm")
  void genuineTokenOfEveryAllowedAlgorithmVerifies(JWSAlgorithm alg, String keyName)
      throws Exception {
    JWK key = Map.of("rsa", (JWK) rsa, "ec", ec, "ed", ed).get(keyName);
    String token =
        Tokens.sign(
            key, alg, Tokens.claims(START, "alice").claim("groups", List.of("eng", "ops")).build());

    VerifiedIdentity identity = verifier.verify(token);

    assertThat(identity.idpId()).isEqualTo("idp_corp");
    assertThat(identity.userId()).isEqualTo("alice");
    assertThat(identity.groups()).containsExactlyInAnyOrder("eng", "ops");
    assertThat(identity.expiresAt()).isEqualTo(START.plusSeconds(600));
    assertThat(identity.tokenHash()).isEqualTo(sha256Hex(token));
    assertThat(identity.toString()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
  }

  @Test
  void anAudienceAmongSeveralIsEnough() throws Exception {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice")
                .audience(List.of("some-other-api", "alter-resolver"))
                .build());

    assertThat(verifier.verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void userClaimIsConfigurable() throws Exception {
    verifier.close();
    verifier = verifierWith(config().userClaim("preferred_username").build());
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "0f6c2a")
                .claim("preferred_username", "alice@example.com")
                .build());

    assertThat(verifier.verify(token).userId()).isEqualTo("alice@example.com");
  }

  @Test
  void tokenWithoutTheUserClaimIsRejected() {
    String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(START, null).build());

    assertRejected(() -> verifier.verify(token), token, RejectionReason.MISSING_USER_CLAIM);
  }

  @Test
  void aUserIdThatCannotBeStoredFaithfullyIsNotAUsableUserId() {
    for (String id : List.of("ali\u2028ce", "ali\u2029ce", "ali\u0085ce", "ali\u009fce")) {
      // (an unpaired surrogate cannot travel in a token: encoding it as UTF-8 turns it into '?')
      String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(START, id).build());
      assertRejected(() -> verifier.verify(token), token, RejectionReason.MISSING_USER_CLAIM);
    }
  }

  @Test
  void aNumericDateOutsideYears1970To9999IsMalformed() {
    for (Object exp : List.of(253402300800L, 1e300, Long.MAX_VALUE / 1000 + 1, -1L)) {
      JWTClaimsSet claims =
          Tokens.claims(START, "alice").expirationTime(null).claim("exp", exp).build();
      String token = Tokens.sign(rsa, JWSAlgorithm.RS256, claims);
      assertRejected(() -> verifier.verify(token), token, RejectionReason.MALFORMED);
    }
  }

  @Test
  void tokenWithoutGroupClaimHasNoGroups() throws Exception {
    String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(START, "alice").build());

    assertThat(verifier.verify(token).groups()).isEmpty();
  }

  @Test
  void nestedGroupClaimPathIsRead() throws Exception {
    verifier.close();
    verifier = verifierWith(config().groupClaim("o.rol").build());
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice")
                .claim("o", Map.of("rol", List.of("billing-admins", "sre")))
                .build());

    assertThat(verifier.verify(token).groups()).containsExactlyInAnyOrder("billing-admins", "sre");
  }

  @Test
  void spaceSeparatedGroupClaimIsRead() throws Exception {
    verifier.close();
    verifier = verifierWith(config().groupClaim("roles").build());
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice").claim("roles", "reader  writer").build());

    assertThat(verifier.verify(token).groups()).containsExactlyInAnyOrder("reader", "writer");
  }

  @Test
  void expiryWithinTheSkewIsAccepted() throws Exception {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START.minusSeconds(600), "alice")
                .expirationTime(Date.from(START.minusSeconds(59)))
                .build());

    assertThat(verifier.verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void expiryBeyondTheSkewIsRejected() {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START.minusSeconds(600), "alice")
                .expirationTime(Date.from(START.minusSeconds(61)))
                .build());

    IdentityRejected rejected =
        assertRejected(() -> verifier.verify(token), token, RejectionReason.EXPIRED);
    assertThat(rejected.subject())
        .as("a genuine token's subject is audited")
        .contains("user:idp_corp/alice");
  }

  @Test
  void aTokenExpiresAsTheClockMoves() throws Exception {
    String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(START, "alice").build());
    assertThat(verifier.verify(token).userId()).isEqualTo("alice");

    clock.add(Duration.ofSeconds(600 + 59));
    assertThat(verifier.verify(token).userId()).isEqualTo("alice");

    clock.add(Duration.ofSeconds(2));
    assertRejected(() -> verifier.verify(token), token, RejectionReason.EXPIRED);
  }

  @Test
  void zeroSkewIsExact() throws Exception {
    verifier.close();
    verifier = verifierWith(config().clockSkew(Duration.ZERO).build());
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START.minusSeconds(600), "alice")
                .expirationTime(Date.from(START.plusSeconds(1)))
                .build());
    assertThat(verifier.verify(token).userId()).isEqualTo("alice");

    clock.add(Duration.ofSeconds(1));
    assertRejected(() -> verifier.verify(token), token, RejectionReason.EXPIRED);
  }

  @Test
  void notBeforeWithinTheSkewIsAccepted() throws Exception {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice").notBeforeTime(Date.from(START.plusSeconds(59))).build());

    assertThat(verifier.verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void notBeforeBeyondTheSkewIsRejectedUntilItArrives() throws Exception {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice").notBeforeTime(Date.from(START.plusSeconds(120))).build());
    assertRejected(() -> verifier.verify(token), token, RejectionReason.NOT_YET_VALID);

    clock.add(Duration.ofSeconds(61));
    assertThat(verifier.verify(token).userId()).isEqualTo("alice");
  }

  @Test
  void issuedInTheFutureBeyondTheSkewIsRejected() {
    String token =
        Tokens.sign(
            rsa,
            JWSAlgorithm.RS256,
            Tokens.claims(START, "alice").issueTime(Date.from(START.plusSeconds(300))).build());

    assertRejected(() -> verifier.verify(token), token, RejectionReason.NOT_YET_VALID);
  }

  @Test
  void tokenWithoutExpIsRejected() {
    String token =
        Tokens.sign(
            rsa, JWSAlgorithm.RS256, Tokens.claims(START, "alice").expirationTime(null).build());

    assertRejected(() -> verifier.verify(token), token, RejectionReason.MISSING_EXP);
  }

  @Test
  void expThatIsNotANumberIsMalformed() {
    JWTClaimsSet claims =
        Tokens.claims(START, "alice").expirationTime(null).claim("exp", "tomorrow").build();
    String token = Tokens.sign(rsa, JWSAlgorithm.RS256, claims);

    assertRejected(() -> verifier.verify(token), token, RejectionReason.MALFORMED);
  }

  @Test
  void unknownCriticalHeaderIsNotAccepted() {
    String token =
        Tokens.sign(
            rsa,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .criticalParams(Set.of("exp-policy"))
                .customParam("exp-policy", "lenient")
                .build(),
            Tokens.claims(START, "alice").build());

    assertRejected(() -> verifier.verify(token), token, RejectionReason.SIGNATURE_INVALID);
  }

  @Test
  void garbageIsMalformed() {
    for (String garbage : List.of("", "not-a-jwt", "a.b.c", "e30.e30", "x".repeat(20_000))) {
      assertRejected(() -> verifier.verify(garbage), garbage, RejectionReason.MALFORMED);
    }
  }

  @Test
  void keysAreFetchedOnceAndCached() throws Exception {
    try (JwksServer own = JwksServer.start().publish(rsa);
        TokenVerifier cached =
            new TokenVerifier(
                config().jwksUrl(own.url()).build(),
                RemoteJwksKeySource.create(own.jwksUrl(), RemoteJwksKeySourceTest.policy(), clock),
                clock)) {
      String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(START, "alice").build());
      for (int i = 0; i < 50; i++) {
        cached.verify(token);
      }
      assertThat(own.hits()).isEqualTo(1);
    }
  }

  private IdentityProviderConfig.Builder config() {
    return IdentityProviderConfig.builder()
        .idpId("idp_corp")
        .issuer(Tokens.ISSUER)
        .jwksUrl(jwks.url())
        .audiences(Tokens.AUDIENCE, "other-aud")
        .algorithms(SigningAlgorithm.values())
        .clockSkew(Duration.ofSeconds(60));
  }

  private TokenVerifier verifierWith(IdentityProviderConfig config) {
    return TokenVerifier.create(config, RemoteJwksKeySourceTest.policy(), clock);
  }

  static String sha256Hex(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
