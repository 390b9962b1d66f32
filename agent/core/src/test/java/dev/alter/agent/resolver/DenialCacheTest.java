package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/** The service's refusals answered from memory for a short while, and what clears them. */
class DenialCacheTest {
  private static final OutgoingRequest CHARGE =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/v1/charges");
  private static final OutgoingRequest ELSEWHERE =
      new OutgoingRequest("GET", "https", "files.stripe.com", -1, "/v1/files");

  private final MutableClock clock =
      MutableClock.of(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile ErrorCode refusal;
  private final ResolverBackend backend =
      (grant, identity, method, url) -> {
        calls.add(grant + " " + url);
        return refusal == null
            ? CompletableFuture.completedFuture(credential(grant))
            : CompletableFuture.failedFuture(
                new ResolveFailure(refusal, grant, "the service says " + refusal.code()));
      };
  private final GrantResolver<Void> resolver =
      new GrantResolver<>(
          backend,
          clock,
          Duration.ofSeconds(1),
          Duration.ofMinutes(15),
          Duration.ofSeconds(5),
          answer -> null);

  private AlterCredentialException refused(String grant, String identity, OutgoingRequest to) {
    try {
      resolver.resolve(new GrantRequest(grant, identity, null, to));
    } catch (AlterCredentialException e) {
      return e;
    }
    throw new AssertionError("resolved");
  }

  @Test
  void aRevokedGrantIsRefusedFromMemoryWithTheServicesCodeAndGrantUntilTheTtlEnds() {
    refusal = ErrorCode.GRANT_REVOKED;
    AlterCredentialException first = refused("grt_1", null, CHARGE);
    clock.add(Duration.ofMillis(4_999));
    AlterCredentialException cached = refused("grt_1", null, CHARGE);
    assertThat(calls).hasSize(1);
    assertThat(cached.code()).isEqualTo("grant_revoked");
    assertThat(cached.grantId()).isEqualTo("grt_1");
    assertThat(cached.getMessage()).isEqualTo(first.getMessage());
    assertThat(cached).isNotSameAs(first);

    clock.add(Duration.ofMillis(1));
    refused("grt_1", null, CHARGE);
    assertThat(calls).hasSize(2);
  }

  @Test
  void aRefusalIsKeptPerGrantAndIdentity() {
    refusal = ErrorCode.PRINCIPAL_MISMATCH;
    refused("grt_1", "token-a", CHARGE);
    refused("grt_1", "token-b", CHARGE);
    refused("grt_2", "token-a", CHARGE);
    refused("grt_1", "token-a", CHARGE);
    assertThat(calls).hasSize(3);
  }

  @Test
  void aRefusedDestinationDoesNotRefuseTheGrantElsewhere() throws Exception {
    refusal = ErrorCode.HOST_NOT_ALLOWED;
    refused("grt_1", null, ELSEWHERE);
    refused("grt_1", null, ELSEWHERE);
    assertThat(calls).hasSize(1);
    refusal = null;
    assertThat(resolver.resolve(new GrantRequest("grt_1", null, null, CHARGE))).isNotNull();
    assertThat(calls).hasSize(2);
  }

  @Test
  void transportAndServiceFailuresAreNeverKept() {
    for (ErrorCode code :
        List.of(
            ErrorCode.RESOLVER_UNAVAILABLE,
            ErrorCode.STORE_UNAVAILABLE,
            ErrorCode.INTERNAL_ERROR,
            ErrorCode.MASTER_KEY_MISSING,
            ErrorCode.SIGNATURE_REJECTED)) {
      assertThat(DenialCache.cacheable(code)).as(code.code()).isFalse();
    }
    refusal = ErrorCode.RESOLVER_UNAVAILABLE;
    assertThatThrownBy(() -> resolver.resolve(new GrantRequest("grt_1", null, null, CHARGE)))
        .isInstanceOf(AlterCredentialException.class);
    assertThatThrownBy(() -> resolver.resolve(new GrantRequest("grt_1", null, null, CHARGE)))
        .isInstanceOf(AlterCredentialException.class);
    assertThat(calls).hasSize(2);
    assertThat(resolver.denials().size()).isZero();
  }

  @Test
  void invalidatingTheGrantAsksTheServiceAgainAtOnce() throws Exception {
    refusal = ErrorCode.GRANT_NOT_FOUND;
    refused("grt_1", null, CHARGE);
    refused("@stripe", null, CHARGE);
    refused("grt_2", null, CHARGE);
    refusal = null;
    resolver.denials().invalidate("grt_1");
    assertThat(resolver.resolve(new GrantRequest("grt_1", null, null, CHARGE))).isNotNull();
    // an alias may name the changed grant now
    assertThat(resolver.resolve(new GrantRequest("@stripe", null, null, CHARGE))).isNotNull();
    refused("grt_2", null, CHARGE);
    assertThat(calls).hasSize(5);

    resolver.denials().invalidateAll();
    assertThat(resolver.resolve(new GrantRequest("grt_2", null, null, CHARGE))).isNotNull();
    assertThat(calls).hasSize(6);
  }

  @Test
  void aZeroTtlAsksEveryTime() {
    GrantResolver<Void> uncached =
        new GrantResolver<>(
            backend,
            clock,
            Duration.ofSeconds(1),
            Duration.ofMinutes(15),
            Duration.ZERO,
            answer -> null);
    refusal = ErrorCode.GRANT_REVOKED;
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> uncached.resolve(new GrantRequest("grt_1", null, null, CHARGE)))
          .isInstanceOf(AlterCredentialException.class);
    }
    assertThat(calls).hasSize(3);
  }

  private static ResolvedCredential credential(String grant) {
    return new ResolvedCredential(
        grant.startsWith("@") ? "grt_9" : grant,
        1,
        CredentialPayload.single("sk_1"),
        InjectionSpec.headers(
            List.of(
                new InjectionSpec.HeaderTemplate("Authorization", "Bearer {credential}", false))),
        DestinationPolicy.of(List.of("https://api.stripe.com")),
        60);
  }
}
