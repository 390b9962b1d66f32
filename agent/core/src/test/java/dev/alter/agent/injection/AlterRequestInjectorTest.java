package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

class AlterRequestInjectorTest {
  private static final InjectionSpec BEARER =
      InjectionSpec.headers(
          List.of(new InjectionSpec.HeaderTemplate("Authorization", "Bearer {credential}", false)));

  private final AtomicInteger resolves = new AtomicInteger();
  private final AlterRequestInjector injector =
      injectorAnswering(Clock.systemUTC(), () -> answer(1, BEARER));

  /** An injector whose resolver answers with {@code answers} and counts the resolves. */
  private AlterRequestInjector injectorAnswering(
      Clock clock, Supplier<ResolvedCredential> answers) {
    return AlterRequestInjector.resolvingWith(
        new GrantResolver<>(
            (grant, identity, method, url) -> {
              resolves.incrementAndGet();
              return CompletableFuture.completedFuture(answers.get());
            },
            clock,
            Duration.ofSeconds(1),
            Duration.ofMinutes(15),
            new InjectionApplier()));
  }

  private static ResolvedCredential answer(int version, InjectionSpec spec) {
    return new ResolvedCredential(
        "grt_1",
        version,
        CredentialPayload.single("sk_" + version),
        spec,
        DestinationPolicy.of(List.of("https://api.stripe.com")),
        60);
  }

  private static OutgoingRequest tagged(String scheme, String host, int port) {
    return new OutgoingRequest("GET", scheme, host, port, "/v1/charges")
        .header("alter-grant", "grt_1")
        .header("Authorization", "Bearer placeholder")
        .header("Accept", "*/*");
  }

  @Test
  void theAwsScopeHintFollowsTheHostWhenHostsAlternate() {
    for (int round = 0; round < 2; round++) {
      assertThat(AlterRequestInjector.awsScopeHint("s3.eu-west-1.amazonaws.com"))
          .isEqualTo("eu-west-1/s3");
      assertThat(AlterRequestInjector.awsScopeHint("api.example.com")).isNull();
      assertThat(AlterRequestInjector.awsScopeHint("dynamodb.us-east-2.amazonaws.com."))
          .isEqualTo("us-east-2/dynamodb");
      assertThat(AlterRequestInjector.awsScopeHint("dynamodb.us-east-2.amazonaws.com."))
          .isEqualTo("us-east-2/dynamodb");
    }
    assertThat(AlterRequestInjector.awsScopeHint(null)).isNull();
  }

  @Test
  void allowedHopGetsTheCredential() throws Exception {
    RequestRewrite rewrite = injector.rewrite(tagged("https", "api.stripe.com", -1));

    assertThat(rewrite.addValue(0)).isEqualTo("Bearer sk_1");
    assertThat(rewrite.removes("authorization")).isTrue();
    assertThat(rewrite.removes("accept")).isFalse();
  }

  @Test
  void redirectHopToAnotherHostIsRefusedAlthoughTheGrantIsCached() throws Exception {
    injector.rewrite(tagged("https", "api.stripe.com", 443));

    assertThatThrownBy(() -> injector.rewrite(tagged("https", "evil.test", -1)))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("host_not_allowed");
              assertThat(e.getMessage()).contains("evil.test").doesNotContain("sk_1");
            });
    assertThat(resolves).as("the cached grant was checked, not re-resolved").hasValue(1);
  }

  @Test
  void everyBypassOfTheDestinationIsRefused() throws Exception {
    injector.rewrite(tagged("https", "api.stripe.com", -1));

    assertRefused(tagged("https", "api.stripe.com", 8443), "host_not_allowed");
    assertRefused(tagged("http", "api.stripe.com", -1), "insecure_scheme");
    assertRefused(tagged("https", "127.0.0.1", -1), "host_not_allowed");
    assertRefused(tagged("https", "api.stripe.com.evil.test", -1), "host_not_allowed");
    assertRefused(tagged("https", "api_stripe.com", -1), "host_not_allowed");
  }

  @Test
  void upperCaseAndTrailingDotNormaliseToTheAllowedHost() throws Exception {
    assertThat(injector.rewrite(tagged("HTTPS", "API.Stripe.COM.", -1)).addCount()).isEqualTo(1);
  }

  @Test
  void identityWithoutGrantIsOnlyStripped() throws Exception {
    RequestRewrite rewrite =
        injector.rewrite(
            new OutgoingRequest("GET", "https", "example.com", -1, "/")
                .header("alter-identity", "jwt"));

    assertThat(rewrite.addCount()).isZero();
    assertThat(rewrite.removes("alter-identity")).isTrue();
    assertThat(resolves).hasValue(0);
  }

  @Test
  void theRewritePreparedForAnAnswerServesItsRequestsAndARotatedAnswerGetsItsOwn()
      throws Exception {
    MutableClock clock = MutableClock.of(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
    AtomicInteger version = new AtomicInteger(1);
    AlterRequestInjector rotating = injectorAnswering(clock, () -> answer(version.get(), BEARER));

    RequestRewrite first = rotating.rewrite(tagged("https", "api.stripe.com", -1));
    clock.add(Duration.ofSeconds(30));
    assertThat(rotating.rewrite(tagged("https", "api.stripe.com", 443))).isSameAs(first);
    assertThat(first.addValue(0)).isEqualTo("Bearer sk_1");

    version.set(2);
    clock.add(Duration.ofSeconds(31));
    RequestRewrite rotated = rotating.rewrite(tagged("https", "api.stripe.com", -1));

    assertThat(rotated.addValue(0)).isEqualTo("Bearer sk_2");
    assertThat(rotating.rewrite(tagged("https", "api.stripe.com", -1))).isSameAs(rotated);
    assertThat(resolves).hasValue(2);
  }

  @Test
  void anAnswerWhoseInjectionCannotBeAppliedFailsEveryRequestNamingTheGrant() {
    AlterRequestInjector broken =
        injectorAnswering(
            Clock.systemUTC(),
            () ->
                answer(
                    1,
                    InjectionSpec.headers(
                        List.of(new InjectionSpec.HeaderTemplate("X-Key", "{secondary}", false)))));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> broken.rewrite(tagged("https", "api.stripe.com", -1)))
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> {
                assertThat(e.code()).isEqualTo("validation_failed");
                assertThat(e.grantId()).isEqualTo("grt_1");
                assertThat(e.getMessage()).contains("secondary").doesNotContain("sk_1");
              });
    }
    assertThat(resolves).as("the answer is cached; only its injection fails").hasValue(1);
    assertThatThrownBy(() -> broken.rewrite(tagged("https", "evil.test", -1)))
        .as("the destination is checked before the injection")
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("host_not_allowed"));
  }

  @Test
  void unconfiguredAgentFailsTaggedRequestsNamingTheMissingSetting() {
    AlterRequestInjector noKey =
        AlterRequestInjector.unconfigured(
            ErrorCode.UNAUTHORIZED_APP, "the agent has no app key; set ALTER_API_KEY");

    assertThatThrownBy(() -> noKey.rewrite(tagged("https", "api.stripe.com", -1)))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("unauthorized_app");
              assertThat(e.grantId()).isEqualTo("grt_1");
              assertThat(e.getMessage()).contains("ALTER_API_KEY");
            });
  }

  private void assertRefused(OutgoingRequest request, String code) {
    assertThatThrownBy(() -> injector.rewrite(request))
        .as(request.toString())
        .isInstanceOfSatisfying(
            AlterCredentialException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
