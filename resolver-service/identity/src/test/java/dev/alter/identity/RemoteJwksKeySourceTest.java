package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * Reliability of the remote JWKS: rotation without restart, outage tolerance with an exact bound,
 * rate-limited refetches for unknown kids, refresh ahead of expiry. Time is an injected clock.
 */
class RemoteJwksKeySourceTest {
  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");
  private static RSAKey oldKey;
  private static RSAKey newKey;
  private static RSAKey attackerKey;

  private MutableClock clock;
  private JwksServer jwks;
  private TokenVerifier verifier;

  /**
   * Five-minute cache, 30 s refresh-ahead and rate-limit window, 15 minutes of outage tolerance.
   */
  static JwksFetchPolicy policy() {
    return new JwksFetchPolicy(
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(15),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        64 * 1024,
        false);
  }

  @BeforeAll
  static void keys() {
    oldKey = TestKeys.rsa("2026-10");
    newKey = TestKeys.rsa("2026-11");
    attackerKey = TestKeys.rsa("attacker");
  }

  @BeforeEach
  void start() {
    clock = MutableClock.of(START, ZoneOffset.UTC);
    jwks = JwksServer.start().publish(oldKey);
    IdentityProviderConfig config =
        IdentityProviderConfig.builder()
            .idpId("idp_corp")
            .issuer(Tokens.ISSUER)
            .jwksUrl(jwks.url())
            .audiences(Tokens.AUDIENCE)
            .algorithms(SigningAlgorithm.RS256)
            .build();
    verifier =
        new TokenVerifier(
            config, RemoteJwksKeySource.create(jwks.jwksUrl(), policy(), clock), clock);
  }

  @AfterEach
  void stop() {
    verifier.close();
    jwks.close();
  }

  @Test
  void rotatedKeyIsPickedUpWithoutRestartAndTheRemovedKeyStopsWorking() throws Exception {
    assertThat(verifier.verify(tokenBy(oldKey)).userId()).isEqualTo("alice");

    jwks.publish(newKey); // the IdP rotates: new kid published, old one removed
    clock.add(Duration.ofMinutes(1));

    assertThat(verifier.verify(tokenBy(newKey)).userId()).isEqualTo("alice");
    assertThat(jwks.hits()).as("one refetch for the new kid").isEqualTo(2);
    String old = tokenBy(oldKey);
    assertRejected(() -> verifier.verify(old), old, RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void rotationIsPickedUpWhenTheCacheExpiresEvenWithoutAnUnknownKid() throws Exception {
    verifier.verify(tokenBy(oldKey));
    jwks.publish(newKey);

    clock.add(Duration.ofMinutes(5).plusSeconds(1));
    String old = tokenBy(oldKey);

    assertRejected(() -> verifier.verify(old), old, RejectionReason.UNKNOWN_KEY);
    assertThat(verifier.verify(tokenBy(newKey)).userId()).isEqualTo("alice");
  }

  @Test
  void unknownKidRefetchesAtMostOncePerRateLimitWindow() throws Exception {
    verifier.verify(tokenBy(oldKey));
    assertThat(jwks.hits()).isEqualTo(1);

    for (int i = 0; i < 20; i++) {
      String forged =
          Tokens.sign(
              attackerKey,
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ghost-" + i).build(),
              Tokens.claims(clock.instant(), "mallory").build());
      assertRejected(() -> verifier.verify(forged), forged, RejectionReason.UNKNOWN_KEY);
    }
    assertThat(jwks.hits()).as("twenty unknown kids cost the IdP one refetch").isEqualTo(2);

    clock.add(Duration.ofSeconds(31));
    String forged =
        Tokens.sign(
            attackerKey,
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ghost-x").build(),
            Tokens.claims(clock.instant(), "mallory").build());
    assertRejected(() -> verifier.verify(forged), forged, RejectionReason.UNKNOWN_KEY);
    assertThat(jwks.hits()).as("the next window allows one more").isEqualTo(3);

    assertThat(verifier.verify(tokenBy(oldKey)).userId())
        .as("genuine tokens unaffected")
        .isEqualTo("alice");
  }

  @Test
  void concurrentFirstRequestsShareOneFetch() throws Exception {
    String token = tokenBy(oldKey);
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<VerifiedIdentity>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return verifier.verify(token);
                }));
      }
      go.countDown();
      for (Future<VerifiedIdentity> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS).userId()).isEqualTo("alice");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(jwks.hits()).isEqualTo(1);
  }

  @Test
  void cachedKeysKeepWorkingThroughAnOutageForTheToleranceThenJwksUnavailable() throws Exception {
    verifier.verify(tokenBy(oldKey));
    jwks.failWith(503);

    clock.add(Duration.ofMinutes(6)); // cache expired, refetch fails: the outage copy is used
    assertThat(verifier.verify(tokenBy(oldKey)).userId()).isEqualTo("alice");
    clock.add(Duration.ofMinutes(8)); // 14 minutes after the last successful fetch
    assertThat(verifier.verify(tokenBy(oldKey)).userId()).isEqualTo("alice");
    assertThat(jwks.hits()).as("the endpoint was retried").isGreaterThan(1);

    clock.add(Duration.ofMinutes(1).plusSeconds(1)); // past 15 minutes
    String token = tokenBy(oldKey);
    assertRejected(() -> verifier.verify(token), token, RejectionReason.JWKS_UNAVAILABLE);

    jwks.recover();
    clock.add(Duration.ofSeconds(31)); // next rate-limit window
    assertThat(verifier.verify(tokenBy(oldKey)).userId())
        .as("recovers without restart")
        .isEqualTo("alice");
  }

  @Test
  void endpointUnreachableWithNothingCachedIsJwksUnavailable() {
    jwks.close(); // connection refused
    String token = tokenBy(oldKey);

    assertRejected(() -> verifier.verify(token), token, RejectionReason.JWKS_UNAVAILABLE);
  }

  @Test
  void refreshesAheadOfExpirySoANewKeyNeedsNoMiss() throws Exception {
    verifier.verify(tokenBy(oldKey));
    jwks.publish(oldKey, newKey);

    clock.add(Duration.ofMinutes(4).plusSeconds(40)); // inside the 30 s before expiry
    verifier.verify(tokenBy(oldKey)); // served from cache, triggers a background refresh
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (jwks.hits() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(jwks.hits()).isEqualTo(2);
    Thread.sleep(50); // the refreshed set is stored right after the response is read

    assertThat(verifier.verify(tokenBy(newKey)).userId()).isEqualTo("alice");
    assertThat(jwks.hits()).as("the new key was already cached").isEqualTo(2);
  }

  @Test
  void aVerifierClosedMidUseFailsClosedRatherThanThrowingUnchecked() throws Exception {
    verifier.verify(tokenBy(oldKey));
    verifier.close(); // as when the IdP is replaced while a request still holds the old verifier

    clock.add(Duration.ofMinutes(4).plusSeconds(40)); // a refresh-ahead would now be scheduled
    Throwable thrown = catchThrowable(() -> verifier.verify(tokenBy(oldKey)));

    if (thrown != null) {
      assertThat(thrown).isInstanceOf(IdentityRejected.class);
      assertThat(((IdentityRejected) thrown).reason()).isEqualTo(RejectionReason.JWKS_UNAVAILABLE);
    }
  }

  @Test
  void policyRefusesAnOutageToleranceShorterThanTheCache() {
    assertThatThrownBy(() -> policy().withOutageTolerance(Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outage_tolerance");
  }

  private String tokenBy(RSAKey key) {
    return Tokens.sign(key, JWSAlgorithm.RS256, Tokens.claims(clock.instant(), "alice").build());
  }
}
