package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import dev.alter.contract.proof.SignatureHeader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

class ResolverClientTest {
  /**
   * The contract's pinned vectors (ProofKeyTest): an app key and an agent token with their public
   * keys.
   */
  private static final String APP_KEY = "alter_key_app_" + "A".repeat(43);

  private static final String APP_PUBLIC_KEY =
      "041f4f5388eb2fb5d532f0871f20987c6c71dbaf8c1b6b0a7b188c59de629df702"
          + "066744ed94f7760e4f90b97a276e3024365b183be98a67a2394bc81c20e06b7f";
  private static final String AGENT_TOKEN = "alter_key_agent_" + "B".repeat(43);
  private static final String AGENT_PUBLIC_KEY =
      "040cb7680f3816cd9787e03c2ffed86a73bee0c1b8271fe67d35693aa978d32c13"
          + "dfcb2dbb1b04c5b1ba8c9ec11cf4b5159bb2e27cf483c4ceac0f2132d9b6778a";

  private final FakeResolverService service;
  private final ResolverClient client;

  ResolverClientTest() throws Exception {
    service = new FakeResolverService();
    client =
        new ResolverClient(
            service.baseUrl(), APP_KEY, null, Duration.ofSeconds(2), ProcessKeyPair.generate());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void opensTheSealedCredentialAndKeepsItsInjectionAndDestinations() {
    service.credential = "sk_live_opened";
    service.version = 7;

    ResolvedCredential credential =
        client.resolve("grt_1", null, "POST", "https://api.stripe.com/v1/charges").join();

    assertThat(credential.payload().primary()).isEqualTo("sk_live_opened");
    assertThat(credential.version()).isEqualTo(7);
    assertThat(credential.ttlSeconds()).isEqualTo(60);
    assertThat(credential.injection().getHeaders().get(0).getTemplate())
        .isEqualTo("Bearer {credential}");
    assertThat(credential.destinations().check("https", "api.stripe.com", -1).allowed()).isTrue();
    assertThat(credential.toString()).doesNotContain("sk_live_opened");
  }

  @Test
  void signsWithTheAppKeyAndSendsGrantDestinationAndPublicKeyButNoIdentityWhenAbsent()
      throws Exception {
    long before = System.currentTimeMillis() / 1000;
    client.resolve("grt_1", null, "GET", "https://api.stripe.com/v1/x").join();

    String body = service.requests.get(0);
    String authorization = service.authorizations.get(0);
    assertThat(authorization)
        .startsWith("Alter-Signature ")
        .doesNotContain(APP_KEY)
        .doesNotContain(APP_KEY.substring("alter_key_app_".length()));
    SignatureHeader header = SignatureHeader.parse(authorization);
    assertThat(header.keyId()).isEqualTo(ProofKey.keyIdOf(APP_KEY));
    assertThat(header.timestamp()).isBetween(before, System.currentTimeMillis() / 1000);
    assertThat(header.agentKeyId()).isNull();
    assertThat(
            RequestSigning.verify(
                ProofKey.publicKeyFromHex(APP_PUBLIC_KEY),
                signedString(header, body),
                header.signature()))
        .isTrue();
    assertThat(FakeResolverService.field(body, "grant")).isEqualTo("grt_1");
    assertThat(FakeResolverService.field(body, "url")).isEqualTo("https://api.stripe.com/v1/x");
    assertThat(FakeResolverService.field(body, "method")).isEqualTo("GET");
    assertThat(FakeResolverService.field(body, "public_key")).hasSize(43);
    assertThat(body).doesNotContain("identity");
  }

  @Test
  void eachResolveHasItsOwnNonce() {
    client.resolve("grt_1", null, "GET", "https://api.stripe.com/v1/x").join();
    client.resolve("grt_1", null, "GET", "https://api.stripe.com/v1/x").join();

    assertThat(SignatureHeader.parse(service.authorizations.get(0)).nonce())
        .isNotEqualTo(SignatureHeader.parse(service.authorizations.get(1)).nonce());
  }

  @Test
  void anAgentTokenIsProvenBySignatureAndNeverSent() throws Exception {
    client.resolve("grt_1", AGENT_TOKEN, "GET", "https://api.stripe.com/v1/x").join();

    String body = service.requests.get(0);
    assertThat(body)
        .doesNotContain("identity")
        .doesNotContain(AGENT_TOKEN.substring("alter_key_agent_".length()));
    SignatureHeader header = SignatureHeader.parse(service.authorizations.get(0));
    assertThat(header.agentKeyId()).isEqualTo(ProofKey.keyIdOf(AGENT_TOKEN));
    String signed = signedString(header, body);
    assertThat(
            RequestSigning.verify(
                ProofKey.publicKeyFromHex(AGENT_PUBLIC_KEY), signed, header.agentSignature()))
        .isTrue();
    assertThat(
            RequestSigning.verify(
                ProofKey.publicKeyFromHex(APP_PUBLIC_KEY), signed, header.signature()))
        .isTrue();
  }

  @Test
  void aJwtIdentityStillTravelsInTheBody() {
    client
        .resolve("grt_1", "eyJhbGciOiJSUzI1NiJ9.e30.sig", "GET", "https://api.stripe.com/v1/x")
        .join();

    assertThat(FakeResolverService.field(service.requests.get(0), "identity"))
        .isEqualTo("eyJhbGciOiJSUzI1NiJ9.e30.sig");
    assertThat(SignatureHeader.parse(service.authorizations.get(0)).agentKeyId()).isNull();
  }

  /**
   * The string the fake service would verify: its own method, path and Host, the body it received.
   */
  private String signedString(SignatureHeader header, String body) {
    return RequestSigning.canonical(
        "POST",
        "/v1/resolve",
        RequestSigning.authority(service.baseUrl()),
        header.timestamp(),
        header.nonce(),
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void sendsTheSigningDateTheResolverGivesAndTodaysUtcDateOtherwise() {
    client
        .resolve("grt_aws", null, "GET", "https://s3.eu-west-1.amazonaws.com/b", "20261128")
        .join();
    String before = SigningDate.of(java.time.Instant.now());
    client.resolve("grt_aws", null, "GET", "https://s3.eu-west-1.amazonaws.com/b").join();
    String after = SigningDate.of(java.time.Instant.now());

    assertThat(FakeResolverService.field(service.requests.get(0), "signing_date"))
        .isEqualTo("20261128");
    // the test may run across midnight UTC
    assertThat(FakeResolverService.field(service.requests.get(1), "signing_date"))
        .isIn(before, after);
  }

  @Test
  void grantResolverSendsItsClocksUtcDate() throws Exception {
    MutableClock clock = MutableClock.of(Instant.parse("2023-11-14T22:13:20Z"), ZoneOffset.UTC);
    GrantResolver<Void> resolver =
        new GrantResolver<>(
            client, clock, Duration.ofSeconds(2), Duration.ofMinutes(15), answer -> null);

    resolver.resolve(
        new GrantRequest(
            "grt_1",
            null,
            null,
            new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/v1/x")));

    assertThat(FakeResolverService.field(service.requests.get(0), "signing_date"))
        .isEqualTo(SigningDate.ofMillis(clock.millis()))
        .matches("\\d{8}");
  }

  @Test
  void problemJsonBecomesTheServicesCodeWithItsFix() {
    service.problemCode = "grant_revoked";
    service.problemStatus = 403;

    assertThatThrownBy(
            () -> client.resolve("grt_1", "tok", "GET", "https://api.stripe.com/").join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.GRANT_REVOKED);
              assertThat(f.toException().getMessage())
                  .contains("grt_1")
                  .contains("grant_revoked")
                  .contains(ErrorCode.GRANT_REVOKED.fix());
            });
  }

  @Test
  void aBoxSealedForAnotherGrantIsRefused() {
    service.answerGrantId = "grt_other";

    assertThatThrownBy(() -> client.resolve("grt_1", null, "GET", "https://api.stripe.com/").join())
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> assertThat(f.code()).isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE));
  }

  @Test
  void aMasterKeyTheServiceLacksIsAnUnavailableServiceNotARefusal() {
    service.problemCode = "master_key_missing";
    service.problemStatus = 503;

    assertThatThrownBy(() -> client.resolve("grt_1", null, "GET", "https://api.stripe.com/").join())
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.MASTER_KEY_MISSING);
              assertThat(f.serviceUnavailable()).isTrue();
              assertThat(f.invalidatesGrant()).isFalse();
            });
  }

  @Test
  void unreachableResolverIsResolverUnavailable() {
    ResolverClient nowhere =
        new ResolverClient(
            URI.create("http://127.0.0.1:1"),
            APP_KEY,
            null,
            Duration.ofSeconds(1),
            ProcessKeyPair.generate());

    assertThatThrownBy(
            () -> nowhere.resolve("grt_1", null, "GET", "https://api.stripe.com/").join())
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE);
              assertThat(f.serviceUnavailable()).isTrue();
            });
  }
}
