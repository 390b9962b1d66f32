package dev.alter.agent.injection.aws;

import static dev.alter.agent.injection.aws.AwsSignatureMatchesSdkTest.added;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.injection.AlterRequestInjector;
import dev.alter.agent.injection.InjectionApplier;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.contract.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/**
 * The derived key's life in the agent: one cache entry per AWS region/service under a grant, the
 * agent's UTC date sent on every resolve, and never a signature with a key of another day or of an
 * expired session — not from the cache, not as a stale fallback.
 */
class AwsKeyLifecycleTest {
  private final MutableClock clock =
      MutableClock.of(Instant.parse("2026-11-28T23:59:59Z"), ZoneOffset.UTC);
  private final FakeAwsResolver service = new FakeAwsResolver();
  private final AlterRequestInjector injector =
      AlterRequestInjector.resolvingWith(
          new GrantResolver<>(
              service,
              clock,
              Duration.ofSeconds(2),
              Duration.ofMinutes(15),
              new InjectionApplier()),
          null,
          1 << 20);

  @Test
  void signingDateIsTheAgentClocksUtcDate() throws Exception {
    injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));

    assertThat(service.calls).hasSize(1);
    assertThat(service.calls.get(0).signingDate).isEqualTo("20261128");
  }

  @Test
  void dateRolloverResolvesAgainAndSignsWithTheNewDate() throws Exception {
    RequestRewrite before = injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));
    clock.setInstant(Instant.parse("2026-11-29T00:00:01Z"));
    RequestRewrite after = injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));

    assertThat(service.calls.stream().map(c -> c.signingDate).collect(Collectors.toList()))
        .containsExactly("20261128", "20261129");
    assertThat(added(before, "Authorization"))
        .contains("/20261128/eu-west-1/dynamodb/aws4_request");
    assertThat(added(before, "X-Amz-Date")).isEqualTo("20261128T235959Z");
    assertThat(added(after, "Authorization")).contains("/20261129/eu-west-1/dynamodb/aws4_request");
    assertThat(added(after, "X-Amz-Date")).isEqualTo("20261129T000001Z");
  }

  @Test
  void midnightBetweenResolvingAndSigningResolvesAgain() throws Exception {
    // the resolver reads the clock as millis(), the signer as instant(): midnight falls in between
    java.time.Clock midnightAtSigning =
        new java.time.Clock() {
          private volatile boolean signing;

          @Override
          public long millis() {
            return (signing
                    ? Instant.parse("2026-11-29T00:00:00.200Z")
                    : Instant.parse("2026-11-28T23:59:59.900Z"))
                .toEpochMilli();
          }

          @Override
          public Instant instant() {
            signing = true;
            return Instant.ofEpochMilli(millis());
          }

          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    AlterRequestInjector racing =
        AlterRequestInjector.resolvingWith(
            new GrantResolver<>(
                service,
                midnightAtSigning,
                Duration.ofSeconds(2),
                Duration.ofMinutes(15),
                new InjectionApplier()),
            null,
            1 << 20);

    RequestRewrite rewrite = racing.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));

    assertThat(service.calls.stream().map(c -> c.signingDate).collect(Collectors.toList()))
        .containsExactly("20261128", "20261129");
    assertThat(added(rewrite, "Authorization"))
        .contains("/20261129/eu-west-1/dynamodb/aws4_request");
    assertThat(added(rewrite, "X-Amz-Date")).isEqualTo("20261129T000000Z");
  }

  @Test
  void yesterdaysKeyIsNeverServedStaleWhileTheServiceIsDown() throws Exception {
    injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));
    clock.setInstant(Instant.parse("2026-11-29T00:00:01Z"));
    service.failWith = ErrorCode.RESOLVER_UNAVAILABLE;

    assertThatThrownBy(() -> injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com")))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("resolver_unavailable");
              assertThat(e.grantId()).isEqualTo("grt_aws");
            });
  }

  @Test
  void sameDayKeyIsServedStaleWhileTheServiceIsDown() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    service.ttlSeconds = 60;
    injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));
    clock.add(Duration.ofMinutes(5));
    service.failWith = ErrorCode.RESOLVER_UNAVAILABLE;

    assertThat(added(injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com")), "Authorization"))
        .contains("/20261128/eu-west-1/dynamodb/");
  }

  @Test
  void expiredSessionResolvesFreshBeforeItsTtlEnds() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    service.sessionToken = FakeAwsResolver.SESSION_TOKEN;
    service.sessionExpiresAtEpochSeconds = Instant.parse("2026-11-28T10:30:00Z").getEpochSecond();
    RequestRewrite first = injector.rewrite(get("sqs.eu-west-1.amazonaws.com"));
    assertThat(added(first, "X-Amz-Security-Token")).isEqualTo(FakeAwsResolver.SESSION_TOKEN);
    assertThat(added(first, "Authorization")).contains("x-amz-security-token");

    clock.setInstant(Instant.parse("2026-11-28T10:31:00Z"));
    service.sessionToken = "FQoG-renewed-session";
    service.sessionExpiresAtEpochSeconds = Instant.parse("2026-11-28T11:30:00Z").getEpochSecond();
    RequestRewrite second = injector.rewrite(get("sqs.eu-west-1.amazonaws.com"));

    assertThat(service.calls).hasSize(2);
    assertThat(added(second, "X-Amz-Security-Token")).isEqualTo("FQoG-renewed-session");
  }

  @Test
  void expiredSessionTheServiceCannotRenewFailsClosed() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    service.sessionToken = FakeAwsResolver.SESSION_TOKEN;
    service.sessionExpiresAtEpochSeconds = Instant.parse("2026-11-28T10:30:00Z").getEpochSecond();
    injector.rewrite(get("sqs.eu-west-1.amazonaws.com"));
    clock.setInstant(Instant.parse("2026-11-28T10:31:00Z"));

    // a service that still hands out the expired session: the agent refuses to sign with it
    assertThatThrownBy(() -> injector.rewrite(get("sqs.eu-west-1.amazonaws.com")))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("credential_expired");
              assertThat(e.getMessage())
                  .contains("grt_aws")
                  .contains("2026-11-28T10:30:00Z")
                  .doesNotContain(FakeAwsResolver.SESSION_TOKEN);
            });

    // the service refusing it (credential_expired) is passed on as is
    service.failWith = ErrorCode.CREDENTIAL_EXPIRED;
    assertThatThrownBy(() -> injector.rewrite(get("sqs.eu-west-1.amazonaws.com")))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("credential_expired"));
  }

  @Test
  void serviceClockSkewFailsClosedNamingTheGrant() {
    clock.setInstant(Instant.parse("2026-11-29T00:00:01Z"));
    service.dateOverride = "20261128";

    assertThatThrownBy(() -> injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com")))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.grantId()).isEqualTo("grt_aws");
              assertThat(e.getMessage())
                  .contains("grt_aws")
                  .contains("20261128")
                  .contains("20261129")
                  .contains("clocks")
                  .doesNotContain(FakeAwsResolver.SECRET);
            });
  }

  @Test
  void eachAwsRegionAndServiceHasItsOwnCacheEntry() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    String[] hosts = {
      "dynamodb.eu-west-1.amazonaws.com",
      "sqs.eu-west-1.amazonaws.com",
      "dynamodb.us-east-1.amazonaws.com",
      "a.s3.eu-west-1.amazonaws.com"
    };
    for (int round = 0; round < 3; round++) {
      for (String host : hosts) {
        injector.rewrite(get(host));
      }
    }

    assertThat(service.calls).as("one resolve per region/service, then cached").hasSize(4);
    assertThat(added(injector.rewrite(get("sqs.eu-west-1.amazonaws.com")), "Authorization"))
        .contains("/eu-west-1/sqs/");
    assertThat(added(injector.rewrite(get("dynamodb.us-east-1.amazonaws.com")), "Authorization"))
        .contains("/us-east-1/dynamodb/");
    // another bucket of the same S3 region shares the entry
    injector.rewrite(get("b.s3.eu-west-1.amazonaws.com"));
    assertThat(service.calls).hasSize(4);
  }

  @Test
  void nonAwsHostsKeepOneEntryPerGrant() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    injector.rewrite(
        new OutgoingRequest("GET", "http", "127.0.0.1", 9000, "/bucket/a")
            .header("alter-grant", "grt_aws")
            .body(OutgoingBody.none()));
    RequestRewrite second =
        injector.rewrite(
            new OutgoingRequest("PUT", "http", "127.0.0.1", 9000, "/bucket/b")
                .header("alter-grant", "grt_aws")
                .body(OutgoingBody.none()));

    assertThat(service.calls).hasSize(1);
    assertThat(added(second, "Authorization")).contains("/us-east-1/s3/");
  }

  @Test
  void nothingSecretInRewriteOrErrors() throws Exception {
    clock.setInstant(Instant.parse("2026-11-28T10:00:00Z"));
    service.sessionToken = FakeAwsResolver.SESSION_TOKEN;
    service.sessionExpiresAtEpochSeconds = Instant.parse("2026-11-28T11:00:00Z").getEpochSecond();
    RequestRewrite rewrite = injector.rewrite(get("dynamodb.eu-west-1.amazonaws.com"));

    assertThat(rewrite.toString())
        .doesNotContain(FakeAwsResolver.SESSION_TOKEN)
        .doesNotContain("Signature=");
    assertThatThrownBy(
            () ->
                injector.rewrite(
                    get("dynamodb.eu-west-1.amazonaws.com").body(OutgoingBody.unknown())))
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(FakeAwsResolver.SESSION_TOKEN)
                    .doesNotContain(FakeAwsResolver.SECRET)
                    .doesNotContain("Signature"));
  }

  private static OutgoingRequest get(String host) {
    return new OutgoingRequest("GET", "https", host, -1, "/")
        .header("alter-grant", "grt_aws")
        .body(OutgoingBody.none());
  }
}
