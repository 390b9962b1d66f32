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

/**
 * Cache entries resolved for an identity: keyed by the token's SHA-256 (never the token), used no
 * longer than the TTL the service answered (which the service caps at the JWT's {@code exp}), and
 * never served stale past it when the token is a JWT.
 */
class IdentityBoundCacheTest {
  private static final OutgoingRequest CHARGE =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/v1/charges");

  private final MutableClock clock =
      MutableClock.of(Instant.parse("2023-11-14T22:13:20Z"), ZoneOffset.UTC);
  private final List<String> identities = new CopyOnWriteArrayList<>();
  private volatile int ttlSeconds = 60;
  private volatile boolean serviceDown;
  private final GrantResolver<Void> resolver =
      new GrantResolver<>(
          (grant, identity, method, url) -> {
            identities.add(String.valueOf(identity));
            if (serviceDown) {
              return CompletableFuture.failedFuture(
                  new ResolveFailure(ErrorCode.RESOLVER_UNAVAILABLE, grant, "down"));
            }
            return CompletableFuture.completedFuture(
                new ResolvedCredential(
                    grant,
                    1,
                    CredentialPayload.single("sk"),
                    InjectionSpec.headers(
                        List.of(
                            new InjectionSpec.HeaderTemplate(
                                "Authorization", "Bearer {credential}", false))),
                    DestinationPolicy.of(List.of("https://api.stripe.com")),
                    ttlSeconds));
          },
          clock,
          Duration.ofMillis(300),
          Duration.ofMinutes(15),
          answer -> null);

  private void resolve(String identity) throws AlterCredentialException {
    resolver.resolve(new GrantRequest("@stripe", identity, null, CHARGE));
  }

  @Test
  void theCacheKeyHoldsTheTokensDigestNotTheToken() {
    CredentialCache.Key key = CredentialCache.key("@stripe", "eyJhbGciOi.secret-token.sig");
    assertThat(key.identityDigest).matches("[0-9a-f]{64}").doesNotContain("secret-token");
    assertThat(CredentialCache.key("@stripe", "eyJhbGciOi.other.sig")).isNotEqualTo(key);
  }

  @Test
  void anEntryIsNotUsedPastTheTtlTheServiceAnswered() throws Exception {
    ttlSeconds = 20; // e.g. the JWT expires in 20 s: the service cut the TTL to that
    resolve("eyJ.alice.sig");
    clock.add(Duration.ofSeconds(14)); // before the refresh-ahead point (3/4 of the TTL)
    resolve("eyJ.alice.sig");
    assertThat(identities).hasSize(1);

    clock.add(Duration.ofSeconds(7));
    resolve("eyJ.alice.sig");
    assertThat(identities).as("resolved again once the TTL ran out").hasSize(2);
  }

  @Test
  void anEntryForAJwtIsNeverServedStaleWhenTheServiceIsDown() throws Exception {
    resolve("eyJ.alice.sig");
    serviceDown = true;
    clock.add(Duration.ofSeconds(61));

    assertThatThrownBy(() -> resolve("eyJ.alice.sig"))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("resolver_unavailable"));
  }

  @Test
  void anEntryForAnAgentTokenOrNoIdentityIsStillServedStaleWithinTheAllowedStaleness()
      throws Exception {
    String agentToken = "alter_key_agent_" + "A".repeat(43);
    resolve(agentToken);
    resolve(null);
    serviceDown = true;
    clock.add(Duration.ofSeconds(61));

    resolve(agentToken);
    resolve(null);
  }
}
