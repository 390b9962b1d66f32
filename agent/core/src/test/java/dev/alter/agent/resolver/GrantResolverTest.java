package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

class GrantResolverTest {
  private static final OutgoingRequest CHARGE =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/v1/charges");

  private final MutableClock clock =
      MutableClock.of(Instant.parse("2023-11-14T22:13:20Z"), ZoneOffset.UTC);
  private final ScriptedBackend backend = new ScriptedBackend();
  private final AtomicInteger preparations = new AtomicInteger();
  private final GrantResolver<String> resolver =
      new GrantResolver<>(
          backend,
          clock,
          Duration.ofMillis(300),
          Duration.ofMinutes(15),
          answer -> "prepared #" + preparations.incrementAndGet());

  @Test
  void secondRequestWithinTheTtlIsAnsweredFromTheCache() throws Exception {
    backend.answerWith("v1");

    assertThat(resolve("grt_1", null)).isEqualTo("v1");
    clock.add(Duration.ofSeconds(30));
    assertThat(resolve("grt_1", null)).isEqualTo("v1");

    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void identityIsPartOfTheCacheKey() throws Exception {
    backend.answerWith("v1");

    resolve("grt_1", "token-a");
    resolve("grt_1", "token-b");
    resolve("grt_1", "token-a");

    assertThat(backend.calls).hasSize(2);
  }

  @Test
  void afterTheTtlTheNewCredentialIsUsed() throws Exception {
    backend.answerWith("v1");
    resolve("grt_1", null);

    backend.answerWith("v2");
    clock.add(Duration.ofSeconds(61));

    assertThat(resolve("grt_1", null)).isEqualTo("v2");
  }

  @Test
  void concurrentFirstRequestsShareOneResolve() throws Exception {
    CompletableFuture<ResolvedCredential> pending = backend.answerLater();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return resolveShared();
                }));
      }
      start.countDown();
      Thread.sleep(200);
      pending.complete(credential("v1"));
      for (Future<String> r : results) {
        assertThat(r.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(backend.calls).hasSize(1);
  }

  private final GrantResolver<Void> shared =
      new GrantResolver<>(
          backend, clock, Duration.ofSeconds(5), Duration.ofMinutes(15), answer -> null);

  private String resolveShared() throws AlterCredentialException {
    return shared
        .resolve(new GrantRequest("grt_1", null, null, CHARGE))
        .credential()
        .payload()
        .primary();
  }

  @Test
  void lateInTheTtlOneBackgroundRefreshRunsWhileTheCachedCredentialIsServed() throws Exception {
    backend.answerWith("v1");
    resolve("grt_1", null);

    CompletableFuture<ResolvedCredential> refresh = backend.answerLater();
    clock.add(Duration.ofSeconds(50));
    assertThat(resolve("grt_1", null)).as("served without waiting").isEqualTo("v1");
    assertThat(resolve("grt_1", null)).isEqualTo("v1");
    assertThat(backend.calls).as("one refresh, not one per request").hasSize(2);

    refresh.complete(credential("v2"));
    assertThat(resolve("grt_1", null)).isEqualTo("v2");
  }

  @Test
  void unreachableServiceServesTheStaleCredentialUpToTheMaximumStalenessThenFailsClosed()
      throws Exception {
    backend.answerWith("v1");
    resolve("grt_1", null);

    backend.failWith(ErrorCode.RESOLVER_UNAVAILABLE);
    clock.add(Duration.ofSeconds(60 + 14 * 60));
    assertThat(resolve("grt_1", null)).isEqualTo("v1");

    clock.add(Duration.ofMinutes(2));
    assertThatThrownBy(() -> resolve("grt_1", null))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("resolver_unavailable");
              assertThat(e.getMessage()).contains("staleness");
            });
  }

  @Test
  void duringAnOutageTheStaleAllowanceCountsFromTheFeedsLastHeartbeat() throws Exception {
    long[] lastHeartbeat = {0};
    resolver.lastHeartbeat(() -> lastHeartbeat[0]);
    backend.answerWith("v1");
    resolve("grt_1", null);

    // the change feed vouched that nothing was revoked until 10 min past the TTL, then went quiet
    clock.add(Duration.ofSeconds(60 + 10 * 60));
    lastHeartbeat[0] = clock.millis();
    backend.failWith(ErrorCode.RESOLVER_UNAVAILABLE);
    clock.add(Duration.ofMinutes(14));
    assertThat(resolve("grt_1", null))
        .as("24 min past the TTL, 14 min past the last heartbeat")
        .isEqualTo("v1");

    clock.add(Duration.ofMinutes(2));
    assertThatThrownBy(() -> resolve("grt_1", null))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("resolver_unavailable"));
  }

  @Test
  void revokedGrantIsNotServedStale() throws Exception {
    backend.answerWith("v1");
    resolve("grt_1", null);

    backend.failWith(ErrorCode.GRANT_REVOKED);
    clock.add(Duration.ofSeconds(61));

    assertThatThrownBy(() -> resolve("grt_1", null))
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo("grant_revoked"));
    backend.failWith(ErrorCode.RESOLVER_UNAVAILABLE);
    assertThatThrownBy(() -> resolve("grt_1", null))
        .as("the revoked grant's credential was evicted, so an outage cannot bring it back")
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("resolver_unavailable"));
  }

  @Test
  void coldResolveNeverBlocksLongerThanTheTimeout() {
    backend.answerLater();

    long start = System.nanoTime();
    assertThatThrownBy(() -> resolve("grt_1", null))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("resolver_unavailable");
              assertThat(e.getMessage()).contains("300 ms");
            });
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(waitedMillis).isBetween(250L, 2_000L);
  }

  @Test
  void coldResolveWithNothingCachedFailsWithTheServicesCode() {
    backend.failWith(ErrorCode.GRANT_NOT_FOUND);

    assertThatThrownBy(() -> resolve("grt_missing", null))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("grant_not_found");
              assertThat(e.grantId()).isEqualTo("grt_missing");
            });
  }

  @Test
  void cachedFreshAnswersOnlyFromAFreshEntryBeforeItsRefreshPoint() throws Exception {
    assertThat(cached("grt_1", "token-a", null)).as("nothing cached yet").isNull();
    backend.answerWith("v1");
    resolve("grt_1", "token-a");

    assertThat(cached("grt_1", "token-a", null).credential().payload().primary()).isEqualTo("v1");
    assertThat(cached("grt_1", "token-b", null)).as("another identity").isNull();
    assertThat(cached("grt_1", null, null)).as("no identity").isNull();
    assertThat(cached("grt_2", "token-a", null)).as("another grant").isNull();
    assertThat(cached("grt_1", "token-a", "eu-west-1/s3")).as("another AWS scope").isNull();

    clock.add(Duration.ofSeconds(46));
    assertThat(cached("grt_1", "token-a", null))
        .as("in the last quarter of the TTL the full path runs, so a refresh starts")
        .isNull();
    assertThat(backend.calls).hasSize(1);
    clock.add(Duration.ofSeconds(20));
    assertThat(cached("grt_1", "token-a", null)).as("past the TTL").isNull();
  }

  @Test
  void alternatingIdentitiesEachFindTheirOwnCredential() throws Exception {
    backend.answerWith("for-a");
    resolve("grt_1", "token-a");
    backend.answerWith("for-b");
    resolve("grt_1", "token-b");

    for (int i = 0; i < 3; i++) {
      // new String: the same value in another instance, as each request's header is
      assertThat(cached("grt_1", new String("token-a"), null).credential().payload().primary())
          .isEqualTo("for-a");
      assertThat(cached("grt_1", new String("token-b"), null).credential().payload().primary())
          .isEqualTo("for-b");
      assertThat(cached("grt_1", "token-c", null)).isNull();
    }
    assertThat(backend.calls).hasSize(2);
    assertThat(CredentialCache.key("grt_1", "token-a"))
        .isEqualTo(CredentialCache.key("grt_1", new String("token-a")))
        .isNotEqualTo(CredentialCache.key("grt_1", "token-b"));
    assertThat(CredentialCache.key("grt_1", "token-a").hashCode())
        .isEqualTo(CredentialCache.key("grt_1", "token-a").hashCode());
  }

  @Test
  void eachAnswerIsPreparedOnceAndItsPreparedFormServesItUntilTheNextAnswer() throws Exception {
    backend.answerWith("v1");
    PreparedAnswer<String> first = resolver.resolve(request("grt_1"));

    clock.add(Duration.ofSeconds(30));
    assertThat(cached("grt_1", null, null)).isSameAs(first);
    assertThat(resolver.resolve(request("grt_1"))).isSameAs(first);
    assertThat(first.prepared()).isEqualTo("prepared #1");

    backend.answerWith("v2");
    clock.add(Duration.ofSeconds(31));
    PreparedAnswer<String> rotated = resolver.resolve(request("grt_1"));

    assertThat(rotated.credential().payload().primary()).isEqualTo("v2");
    assertThat(rotated.prepared()).isEqualTo("prepared #2");
    assertThat(cached("grt_1", null, null)).isSameAs(rotated);
    assertThat(preparations).hasValue(2);
  }

  @Test
  void aPreparerThatThrowsLeavesTheAnswerUnpreparedAndTheRequestAnswered() throws Exception {
    GrantResolver<String> failing =
        new GrantResolver<>(
            backend,
            clock,
            Duration.ofMillis(300),
            Duration.ofMinutes(15),
            answer -> {
              throw new IllegalStateException("cannot prepare");
            });
    backend.answerWith("v1");

    PreparedAnswer<String> answer = failing.resolve(request("grt_1"));

    assertThat(answer.credential().payload().primary()).isEqualTo("v1");
    assertThat(answer.prepared()).isNull();
    assertThat(failing.cachedFresh(request("grt_1"))).isSameAs(answer);
  }

  private static GrantRequest request(String grant) {
    return new GrantRequest(grant, null, null, CHARGE);
  }

  private PreparedAnswer<String> cached(String grant, String identity, String scopeHint) {
    return resolver.cachedFresh(new GrantRequest(grant, identity, scopeHint, CHARGE));
  }

  private String resolve(String grant, String identity) throws AlterCredentialException {
    return resolver
        .resolve(new GrantRequest(grant, identity, null, CHARGE))
        .credential()
        .payload()
        .primary();
  }

  @Test
  void withoutBlockingAColdResolveCompletesLaterAndAWarmOneAtOnce() throws Exception {
    CompletableFuture<ResolvedCredential> pending = backend.answerLater();
    GrantRequest request = new GrantRequest("grt_1", null, null, CHARGE);

    CompletableFuture<PreparedAnswer<String>> cold = resolver.resolveWithoutBlocking(request);
    assertThat(cold).isNotDone();
    pending.complete(credential("v1"));
    assertThat(cold.get(5, TimeUnit.SECONDS).credential().payload().primary()).isEqualTo("v1");

    CompletableFuture<PreparedAnswer<String>> warm = resolver.resolveWithoutBlocking(request);
    assertThat(warm).isDone();
    assertThat(warm.get().credential().payload().primary()).isEqualTo("v1");
    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void withoutBlockingARefusalCompletesExceptionallyNamingTheGrant() {
    backend.failWith(ErrorCode.GRANT_REVOKED);

    CompletableFuture<PreparedAnswer<String>> answer =
        resolver.resolveWithoutBlocking(new GrantRequest("grt_1", null, null, CHARGE));

    Throwable failure = catchThrowable(() -> answer.get(5, TimeUnit.SECONDS)).getCause();
    assertThat(failure).isInstanceOf(AlterCredentialException.class);
    assertThat(((AlterCredentialException) failure).code()).isEqualTo("grant_revoked");
    assertThat(((AlterCredentialException) failure).grantId()).isEqualTo("grt_1");
  }

  private static ResolvedCredential credential(String value) {
    return new ResolvedCredential(
        "grt_1",
        1,
        CredentialPayload.single(value),
        InjectionSpec.headers(
            List.of(
                new InjectionSpec.HeaderTemplate("Authorization", "Bearer {credential}", false))),
        DestinationPolicy.of(List.of("https://api.stripe.com")),
        60);
  }

  /** Answers each resolve as last scripted and counts the calls. */
  private static final class ScriptedBackend implements ResolverBackend {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile java.util.function.Function<String, CompletableFuture<ResolvedCredential>>
        next;

    void answerWith(String value) {
      next = grant -> CompletableFuture.completedFuture(credential(value));
    }

    void failWith(ErrorCode code) {
      next =
          grant ->
              CompletableFuture.failedFuture(
                  new ResolveFailure(code, grant, "scripted " + code.code()));
    }

    CompletableFuture<ResolvedCredential> answerLater() {
      CompletableFuture<ResolvedCredential> pending = new CompletableFuture<>();
      next = grant -> pending;
      return pending;
    }

    @Override
    public CompletableFuture<ResolvedCredential> resolve(
        String grant, String identity, String method, String url) {
      calls.add(grant);
      return next.apply(grant);
    }
  }
}
