package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.ChangeKind;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a change event does to the agent's cache: revoked, expired and deleted entries are gone
 * before the next request; a rotation is refreshed on the next use; a lost track drops everything;
 * a resolve in flight across a revocation is not cached; the denial hook hears every event.
 */
class ChangeEventsTest {
  private static final OutgoingRequest CHARGE =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/v1/charges");

  private final AtomicInteger calls = new AtomicInteger();
  private volatile long version = 1;
  private volatile CompletableFuture<ResolvedCredential> pending;

  private final GrantResolver<String> resolver =
      new GrantResolver<>(
          (grant, identity, method, url) -> {
            calls.incrementAndGet();
            if (grant.equals("grt_gone")) {
              return CompletableFuture.failedFuture(
                  new ResolveFailure(ErrorCode.GRANT_REVOKED, grant, "revoked"));
            }
            CompletableFuture<ResolvedCredential> p = pending;
            return p != null ? p : CompletableFuture.completedFuture(credential(grant, version));
          },
          Clock.systemUTC(),
          Duration.ofSeconds(2),
          Duration.ofMinutes(15),
          Duration.ofMinutes(1),
          answer -> "prepared");

  private static ResolvedCredential credential(String grant, long version) {
    return new ResolvedCredential(
            grant.startsWith("@") ? "grt_1" : grant,
            version,
            CredentialPayload.single("value-v" + version),
            InjectionSpec.headers(
                List.of(
                    new InjectionSpec.HeaderTemplate(
                        "Authorization", "Bearer {credential}", false))),
            DestinationPolicy.of(List.of("https://api.stripe.com")),
            300)
        .withSecretId("ms_1");
  }

  private static GrantRequest request(String grant) {
    return new GrantRequest(grant, null, null, CHARGE);
  }

  private static ChangeEvent event(ChangeKind kind, String grant, String secret, Long version) {
    return new ChangeEvent(7, kind, grant, secret, version, null);
  }

  @Test
  void aRevokedGrantIsDroppedBeforeTheNextRequestAndAChangeToAGrantEndsItsKeptRefusal()
      throws Exception {
    assertThatThrownBy(() -> resolver.resolve(request("grt_gone")))
        .hasMessageContaining("grant_revoked");
    assertThat(resolver.denials().size()).isEqualTo(1);
    resolver.resolve(request("grt_1"));
    resolver.resolve(request("@stripe"));
    assertThat(resolver.cachedFresh(request("grt_1"))).isNotNull();

    ChangeEvent revoked = event(ChangeKind.GRANT_REVOKED, "grt_1", "ms_1", null);
    resolver.changed(revoked);

    assertThat(resolver.cachedFresh(request("grt_1"))).isNull();
    assertThat(resolver.cachedFresh(request("@stripe"))).as("resolved to grt_1").isNull();
    assertThat(resolver.denials().size()).as("kept refusals: only grt_gone's").isEqualTo(1);
    resolver.changed(event(ChangeKind.GRANT_CREATED, "grt_gone", "ms_1", null));
    assertThat(resolver.denials().size()).isZero();
  }

  @Test
  void deletedOrChangedSecretsAndExpiredGrantsAreDropped() throws Exception {
    for (ChangeKind kind :
        List.of(ChangeKind.SECRET_DELETED, ChangeKind.SECRET_UPDATED, ChangeKind.GRANT_EXPIRED)) {
      resolver.resolve(request("grt_1"));
      resolver.changed(event(kind, "grt_1", "ms_1", null));
      assertThat(resolver.cachedFresh(request("grt_1"))).as(kind.wireName()).isNull();
    }
  }

  @Test
  void aRotationIsFetchedOnTheNextUseWhileTheOldValueStillAnswersIt() throws Exception {
    resolver.resolve(request("grt_1"));
    version = 2;
    resolver.changed(event(ChangeKind.SECRET_ROTATED, null, "ms_1", 2L));

    assertThat(resolver.cachedFresh(request("grt_1"))).as("no longer fresh").isNull();
    assertThat(resolver.resolve(request("grt_1")).credential().version()).isEqualTo(1);
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (resolver.cachedFresh(request("grt_1")) == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(resolver.cachedFresh(request("grt_1")).credential().version()).isEqualTo(2);
    assertThat(calls).hasValue(2);
  }

  @Test
  void anAppKeyRevocationOrALostTrackDropsEverything() throws Exception {
    resolver.resolve(request("grt_1"));
    resolver.resolve(request("grt_2"));
    resolver.changed(event(ChangeKind.APP_KEY_REVOKED, null, null, null));
    assertThat(resolver.cachedCount()).isZero();

    resolver.resolve(request("grt_1"));
    assertThatThrownBy(() -> resolver.resolve(request("grt_gone")))
        .hasMessageContaining("grant_revoked");
    resolver.lostTrack();
    assertThat(resolver.cachedCount()).isZero();
    assertThat(resolver.denials().size()).isZero();
  }

  @Test
  void aResolveInFlightAcrossARevocationDoesNotEnterTheCache() throws Exception {
    CompletableFuture<ResolvedCredential> late = new CompletableFuture<>();
    pending = late;
    CompletableFuture<PreparedAnswer<String>> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return resolver.resolve(request("grt_1"));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    while (calls.get() == 0) {
      Thread.sleep(1);
    }
    resolver.changed(event(ChangeKind.GRANT_REVOKED, "grt_1", "ms_1", null));
    late.complete(credential("grt_1", 1));
    first.get();

    assertThat(resolver.cachedFresh(request("grt_1"))).isNull();
  }
}
