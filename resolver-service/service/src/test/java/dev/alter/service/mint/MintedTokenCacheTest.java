package dev.alter.service.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MintedTokenCacheTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private final MintedTokenCache cache = new MintedTokenCache();
  private final AtomicInteger mints = new AtomicInteger();

  private MintedTokenCache.Minted mint(long version, long lifetimeSeconds) {
    int n = mints.incrementAndGet();
    return new MintedTokenCache.Minted(
        MintedToken.of("token-" + n, T0, T0.plusSeconds(lifetimeSeconds)), version);
  }

  @Test
  void concurrentResolvesOfOneSecretMintOnce() throws Exception {
    CountDownLatch minting = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<MintedToken>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(
            pool.submit(
                () ->
                    cache.get(
                        "sec_1",
                        1,
                        T0,
                        () -> {
                          await(minting);
                          return mint(1, 3600);
                        })));
      }
      Thread.sleep(100);
      minting.countDown();
      for (Future<MintedToken> answer : answers) {
        assertThat(answer.get(10, TimeUnit.SECONDS).accessToken()).isEqualTo("token-1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(mints).hasValue(1);
  }

  @Test
  void aTokenIsReusedUntilItsMarginBeforeExpiryThenMintedAnew() {
    cache.get("sec_1", 1, T0, () -> mint(1, 3600));
    // an hour's token: handed out until 60 s before it expires
    assertThat(cache.get("sec_1", 1, T0.plusSeconds(3539), () -> mint(1, 3600)).accessToken())
        .isEqualTo("token-1");
    assertThat(cache.get("sec_1", 1, T0.plusSeconds(3540), () -> mint(1, 3600)).accessToken())
        .isEqualTo("token-2");
  }

  @Test
  void aShortLivedTokenKeepsAQuarterOfItsLifeAsMargin() {
    MintedToken token = MintedToken.of("t", T0, T0.plusSeconds(20));
    assertThat(token.reuseUntil()).isEqualTo(T0.plusSeconds(15));
    assertThat(token.secondsLeft(T0)).isEqualTo(15);
    assertThat(token.secondsLeft(T0.plusSeconds(16))).isZero();
  }

  @Test
  void aNewerCredentialVersionMintsANewToken() {
    cache.get("sec_1", 1, T0, () -> mint(1, 3600));
    assertThat(cache.get("sec_1", 2, T0, () -> mint(2, 3600)).accessToken()).isEqualTo("token-2");
    // a resolve that read the older version still gets the newer version's token
    assertThat(cache.get("sec_1", 1, T0, () -> mint(1, 3600)).accessToken()).isEqualTo("token-2");
  }

  @Test
  void aTokenMintedUnderARotatedRefreshTokenServesTheVersionItStored() {
    cache.get("sec_1", 4, T0, () -> mint(5, 3600));
    assertThat(cache.get("sec_1", 5, T0, () -> mint(6, 3600)).accessToken()).isEqualTo("token-1");
  }

  @Test
  void aFailureIsNotKeptTheNextResolveAsksAgain() {
    assertThatThrownBy(
            () ->
                cache.get(
                    "sec_1",
                    1,
                    T0,
                    () -> {
                      throw new MintFailure(ErrorCode.TOKEN_ENDPOINT_UNAVAILABLE, "down");
                    }))
        .isInstanceOf(MintFailure.class);
    assertThat(cache.get("sec_1", 1, T0, () -> mint(1, 3600)).accessToken()).isEqualTo("token-1");
  }

  @Test
  void secretsHaveTokensOfTheirOwn() {
    cache.get("sec_1", 1, T0, () -> mint(1, 3600));
    assertThat(cache.get("sec_2", 1, T0, () -> mint(1, 3600)).accessToken()).isEqualTo("token-2");
  }

  @Test
  void theTokenNeverAppearsInToString() {
    assertThat(MintedToken.of("very-secret-token", T0, T0.plusSeconds(60)).toString())
        .doesNotContain("very-secret-token");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
