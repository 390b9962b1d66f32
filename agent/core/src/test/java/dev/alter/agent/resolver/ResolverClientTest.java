package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

class ResolverClientTest {
  private final FakeResolverService service;
  private final ResolverClient client;

  ResolverClientTest() throws Exception {
    service = new FakeResolverService();
    client = new ResolverClient(service.baseUrl(), "alter_key_app_test", null, Duration.ofSeconds(2),
        ProcessKeyPair.generate());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void opensTheSealedCredentialAndKeepsItsInjectionAndDestinations() {
    service.credential = "sk_live_opened";
    service.version = 7;

    ResolvedCredential credential = client.resolve("grt_1", null, "POST", "https://api.stripe.com/v1/charges").join();

    assertThat(credential.payload().primary()).isEqualTo("sk_live_opened");
    assertThat(credential.version()).isEqualTo(7);
    assertThat(credential.ttlSeconds()).isEqualTo(60);
    assertThat(credential.injection().getHeaders().get(0).getTemplate()).isEqualTo("Bearer {credential}");
    assertThat(credential.destinations().check("https", "api.stripe.com", -1).allowed()).isTrue();
    assertThat(credential.toString()).doesNotContain("sk_live_opened");
  }

  @Test
  void sendsTheAppKeyGrantDestinationAndPublicKeyButNoIdentityWhenAbsent() {
    client.resolve("grt_1", null, "GET", "https://api.stripe.com/v1/x").join();

    String body = service.requests.get(0);
    assertThat(service.authorizations.get(0)).isEqualTo("Bearer alter_key_app_test");
    assertThat(FakeResolverService.field(body, "grant")).isEqualTo("grt_1");
    assertThat(FakeResolverService.field(body, "url")).isEqualTo("https://api.stripe.com/v1/x");
    assertThat(FakeResolverService.field(body, "method")).isEqualTo("GET");
    assertThat(FakeResolverService.field(body, "public_key")).hasSize(43);
    assertThat(body).doesNotContain("identity");
  }

  @Test
  void sendsTheSigningDateTheResolverGivesAndTodaysUtcDateOtherwise() {
    client.resolve("grt_aws", null, "GET", "https://s3.eu-west-1.amazonaws.com/b", "20261128").join();
    String before = SigningDate.of(java.time.Instant.now());
    client.resolve("grt_aws", null, "GET", "https://s3.eu-west-1.amazonaws.com/b").join();
    String after = SigningDate.of(java.time.Instant.now());

    assertThat(FakeResolverService.field(service.requests.get(0), "signing_date")).isEqualTo("20261128");
    // the test may run across midnight UTC
    assertThat(FakeResolverService.field(service.requests.get(1), "signing_date")).isIn(before, after);
  }

  @Test
  void grantResolverSendsItsClocksUtcDate() throws Exception {
    MutableClock clock = MutableClock.of(Instant.parse("2023-11-14T22:13:20Z"), ZoneOffset.UTC);
    GrantResolver resolver = new GrantResolver(client, clock, Duration.ofSeconds(2), Duration.ofMinutes(15));

    resolver.resolve("grt_1", null, "GET", "https://api.stripe.com:443", "https://api.stripe.com/v1/x");

    assertThat(FakeResolverService.field(service.requests.get(0), "signing_date"))
        .isEqualTo(SigningDate.ofMillis(clock.millis())).matches("\\d{8}");
  }

  @Test
  void problemJsonBecomesTheServicesCodeWithItsFix() {
    service.problemCode = "grant_revoked";
    service.problemStatus = 403;

    assertThatThrownBy(() -> client.resolve("grt_1", "tok", "GET", "https://api.stripe.com/").join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(ResolveFailure.class, f -> {
          assertThat(f.code()).isEqualTo(ErrorCode.GRANT_REVOKED);
          assertThat(f.toException().getMessage()).contains("grt_1").contains("grant_revoked")
              .contains(ErrorCode.GRANT_REVOKED.fix());
        });
  }

  @Test
  void aBoxSealedForAnotherGrantIsRefused() {
    service.answerGrantId = "grt_other";

    assertThatThrownBy(() -> client.resolve("grt_1", null, "GET", "https://api.stripe.com/").join())
        .cause().isInstanceOfSatisfying(ResolveFailure.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE));
  }

  @Test
  void unreachableResolverIsResolverUnavailable() {
    ResolverClient nowhere = new ResolverClient(URI.create("http://127.0.0.1:1"), "k", null, Duration.ofSeconds(1),
        ProcessKeyPair.generate());

    assertThatThrownBy(() -> nowhere.resolve("grt_1", null, "GET", "https://api.stripe.com/").join())
        .cause().isInstanceOfSatisfying(ResolveFailure.class, f -> {
          assertThat(f.code()).isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE);
          assertThat(f.serviceUnavailable()).isTrue();
        });
  }
}
