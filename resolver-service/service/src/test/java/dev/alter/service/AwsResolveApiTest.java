package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.X25519Keys;
import dev.alter.contract.aws.AwsDerivedCredential;
import dev.alter.contract.aws.AwsScope;
import dev.alter.contract.aws.AwsSigningKey;
import java.security.KeyPair;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resolving {@code aws} secrets (SECURITY.md invariant 4): the caller receives the SigV4 signing
 * key for the destination's (date, region, service) and never the secret access key. The service
 * runs on a clock the tests pin, two days ahead of today, so stored session expiries are in the
 * future and midnight can be crossed.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AwsResolveApiTest {
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final DateTimeFormatter YMD = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /** A day whose instants the service accepts as future session expiries. */
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).plusDays(2);

  private static final Instant NOON = DAY.atTime(LocalTime.NOON).toInstant(ZoneOffset.UTC);

  @Parameter Backend backend;
  static TestStore store;
  static TestService service;
  static final SettableClock CLOCK = new SettableClock();

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    store = TestStore.create(backend, AwsResolveApiTest.class);
    service = TestService.start(store, store.config().clock(CLOCK).build());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    try {
      service.close();
    } finally {
      store.close();
    }
  }

  @AfterEach
  void unpinTheClock() {
    CLOCK.followSystemTime();
  }

  /** An app with one aws secret and a system grant on it. */
  private record Fixture(String appKey, String secretId, String grantId) {}

  private static Fixture awsSecret(String extraJson) {
    JsonNode app = service.createApp("aws-" + System.nanoTime());
    String parts =
        "\"credential_parts\":{\"secret_access_key\":" + ApiClient.quote(SECRET_ACCESS_KEY) + "}";
    JsonNode secret =
        service.createSecret(
            app.path("app_id").asText(),
            "aws",
            ACCESS_KEY_ID,
            extraJson == null
                ? parts
                : extraJson.contains("credential_parts") ? extraJson : parts + "," + extraJson);
    String secretId = secret.path("secret_id").asText();
    return new Fixture(
        app.path("api_key").path("key").asText(),
        secretId,
        service.createSystemGrant(secretId, "aws").path("grant_id").asText());
  }

  private static ApiClient.Response resolve(
      Fixture f, String url, String signingDateJson, KeyPair keys) {
    String body =
        "{\"grant\":"
            + ApiClient.quote(f.grantId())
            + ",\"destination\":{\"method\":\"GET\",\"url\":"
            + ApiClient.quote(url)
            + "},\"public_key\":\""
            + CredentialSealing.encodePublicKey(X25519Keys.rawPublicKey(keys.getPublic()))
            + "\""
            + (signingDateJson == null ? "" : ",\"signing_date\":" + signingDateJson)
            + "}";
    return service.api.post("/v1/resolve", f.appKey(), body);
  }

  private static ResolveResponse parse(ApiClient.Response r) throws Exception {
    return SNAKE.readValue(r.body(), ResolveResponse.class);
  }

  private static CredentialPayload open(Fixture f, ResolveResponse answer, KeyPair keys)
      throws Exception {
    return CredentialSealing.open(
        keys.getPrivate(),
        X25519Keys.rawPublicKey(keys.getPublic()),
        f.grantId(),
        answer.getCredentialVersion(),
        answer.getSealed());
  }

  /**
   * Resolves {@code url}; asserts success and that the secret access key appears in neither answer
   * nor payload.
   */
  private static AwsDerivedCredential resolveDerived(
      Fixture f, String url, String signingDateJson, ResolveResponse[] answerOut) throws Exception {
    KeyPair keys = X25519Keys.generate();
    ApiClient.Response r = resolve(f, url, signingDateJson, keys);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(SECRET_ACCESS_KEY);
    ResolveResponse answer = parse(r);
    CredentialPayload payload = open(f, answer, keys);
    assertThat(payload.parts().values()).noneMatch(v -> v.contains(SECRET_ACCESS_KEY));
    assertThat(payload.parts().keySet())
        .doesNotContain(AwsDerivedCredential.STORED_SECRET_ACCESS_KEY);
    if (answerOut != null) {
      answerOut[0] = answer;
    }
    return AwsDerivedCredential.fromPayload(payload);
  }

  @ParameterizedTest(name = "{0} -> {1}/{2}")
  @CsvSource({
    "s3.us-east-1.amazonaws.com, us-east-1, s3",
    "bucket.s3.eu-west-1.amazonaws.com, eu-west-1, s3",
    "s3.amazonaws.com, us-east-1, s3",
    "sts.amazonaws.com, us-east-1, sts",
    "bedrock-runtime.us-west-2.amazonaws.com, us-west-2, bedrock"
  })
  void awsHostsNameTheScopeOfTheDerivedSigningKey(String host, String region, String signingName)
      throws Exception {
    CLOCK.pin(NOON);
    Fixture f = awsSecret(null);
    ResolveResponse[] answer = new ResolveResponse[1];
    AwsDerivedCredential derived =
        resolveDerived(f, "https://" + host + "/some/key?x=1", null, answer);

    AwsScope expected = new AwsScope(YMD.format(DAY), region, signingName);
    assertThat(derived.scope()).isEqualTo(expected);
    assertThat(derived.signingKey()).isEqualTo(AwsSigningKey.derive(SECRET_ACCESS_KEY, expected));
    assertThat(derived.accessKeyId()).isEqualTo(ACCESS_KEY_ID);
    assertThat(derived.sessionToken()).isNull();
    assertThat(derived.sessionExpiresAtEpochSeconds()).isZero();
    assertThat(answer[0].getProvider()).isEqualTo("aws");
    assertThat(answer[0].getInjection().getType()).isEqualTo("aws_sigv4");
    assertThat(answer[0].getInjection().getAwsRegion()).isEqualTo(region);
    assertThat(answer[0].getInjection().getAwsService()).isEqualTo(signingName);
    assertThat(answer[0].getTtlSeconds()).isEqualTo(60);
  }

  @Test
  void theHostWinsOverTheSecretsSettingsOnAwsEndpoints() throws Exception {
    CLOCK.pin(NOON);
    Fixture f =
        awsSecret(
            "\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"ap-south-1\",\"aws_service\":\"dynamodb\"}");
    assertThat(resolveDerived(f, "https://s3.eu-west-1.amazonaws.com/b", null, null).scope())
        .isEqualTo(new AwsScope(YMD.format(DAY), "eu-west-1", "s3"));
  }

  @Test
  void aCustomEndpointIsSignedWithTheSecretsRegionAndService() throws Exception {
    CLOCK.pin(NOON);
    Fixture f =
        awsSecret(
            "\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"eu-central-1\",\"aws_service\":\"s3\"},"
                + "\"destinations\":[\"https://storage.example.test:9000\",\"http://127.0.0.1:9090\"],\"allow_plain_http\":true");
    ResolveResponse[] answer = new ResolveResponse[1];
    AwsDerivedCredential derived =
        resolveDerived(f, "https://storage.example.test:9000/bucket/key", null, answer);
    AwsScope expected = new AwsScope(YMD.format(DAY), "eu-central-1", "s3");
    assertThat(derived.scope()).isEqualTo(expected);
    assertThat(derived.signingKey()).isEqualTo(AwsSigningKey.derive(SECRET_ACCESS_KEY, expected));
    assertThat(answer[0].getInjection().getAwsRegion()).isEqualTo("eu-central-1");
    assertThat(answer[0].getInjection().getAwsService()).isEqualTo("s3");
    assertThat(resolveDerived(f, "http://127.0.0.1:9090/bucket", null, null).scope())
        .isEqualTo(expected);
  }

  @Test
  void aPatchedRegionAndServiceSignTheNextResolveWithTheSameGrant() throws Exception {
    CLOCK.pin(NOON);
    Fixture f =
        awsSecret(
            "\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"eu-central-1\",\"aws_service\":\"s3\"},"
                + "\"destinations\":[\"https://storage.example.test:9000\"]");
    String url = "https://storage.example.test:9000/bucket/key";
    assertThat(resolveDerived(f, url, null, null).scope())
        .isEqualTo(new AwsScope(YMD.format(DAY), "eu-central-1", "s3"));

    ApiClient.Response patched =
        service.api.patch(
            "/v1/secrets/" + f.secretId(),
            service.adminKey,
            "{\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"ap-south-1\",\"aws_service\":\"s3\"}}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.body()).doesNotContain(SECRET_ACCESS_KEY);
    AwsScope moved = new AwsScope(YMD.format(DAY), "ap-south-1", "s3");
    AwsDerivedCredential derived = resolveDerived(f, url, null, null);
    assertThat(derived.scope()).isEqualTo(moved);
    assertThat(derived.signingKey()).isEqualTo(AwsSigningKey.derive(SECRET_ACCESS_KEY, moved));

    Map<String, List<String>> before = service.snapshot();
    for (String bad :
        List.of(
            "{\"injection\":{\"type\":\"header\",\"headers\":[{\"name\":\"X-Key\",\"template\":\"{credential}\"}]}}",
            "{\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"Not A Region\"}}",
            "{\"injection\":{\"type\":\"aws_sigv4\",\"aws_region\":\"us-east-1\",\"headers\":[]}}")) {
      ApiClient.Response r =
          service.api.patch("/v1/secrets/" + f.secretId(), service.adminKey, bad);
      assertThat(r.code()).as(bad).isEqualTo("validation_failed");
      assertThat(r.body()).doesNotContain(SECRET_ACCESS_KEY);
    }
    assertThat(service.snapshot()).isEqualTo(before);
  }

  @Test
  void anAwsHostThatLeavesThePartOutTakesItFromTheSecret() throws Exception {
    CLOCK.pin(NOON);
    Fixture withService =
        awsSecret("\"injection\":{\"type\":\"aws_sigv4\",\"aws_service\":\"ec2\"}");
    assertThat(resolveDerived(withService, "https://eu-west-1.amazonaws.com/", null, null).scope())
        .isEqualTo(new AwsScope(YMD.format(DAY), "eu-west-1", "ec2"));

    Fixture without = awsSecret(null);
    ApiClient.Response r =
        resolve(without, "https://eu-west-1.amazonaws.com/", null, X25519Keys.generate());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.text("detail"))
        .contains(without.grantId())
        .contains("injection.aws_service")
        .doesNotContain("injection.aws_region");
  }

  @Test
  void aCustomEndpointWithoutSettingsFailsNamingTheGrantAndTheSettings() {
    CLOCK.pin(NOON);
    Fixture f = awsSecret("\"destinations\":[\"https://storage.example.test\"]");
    ApiClient.Response r =
        resolve(f, "https://storage.example.test/bucket", null, X25519Keys.generate());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.text("grant_id")).isEqualTo(f.grantId());
    assertThat(r.text("detail"))
        .contains(f.grantId())
        .contains("injection.aws_region")
        .contains("injection.aws_service")
        .contains("storage.example.test");
    assertThat(r.body()).doesNotContain(SECRET_ACCESS_KEY);
  }

  @Test
  void aSigningDateWithinADayOfTheServicesDateIsUsed() throws Exception {
    CLOCK.pin(NOON);
    Fixture f = awsSecret(null);
    for (LocalDate date : List.of(DAY.minusDays(1), DAY, DAY.plusDays(1))) {
      AwsScope expected = new AwsScope(YMD.format(date), "us-east-1", "s3");
      AwsDerivedCredential derived =
          resolveDerived(
              f, "https://s3.us-east-1.amazonaws.com/b", ApiClient.quote(YMD.format(date)), null);
      assertThat(derived.scope()).isEqualTo(expected);
      assertThat(derived.signingKey()).isEqualTo(AwsSigningKey.derive(SECRET_ACCESS_KEY, expected));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"DAY-2\"",
        "\"DAY+2\"",
        "\"DAY-ISO\"",
        "\"20261332\"",
        "\"2026112\"",
        "\"x2026112\"",
        "\"\"",
        "20261128"
      })
  void aSigningDateOutsideTheWindowOrMalformedIsRefused(String signingDateJson) {
    CLOCK.pin(NOON);
    String json =
        signingDateJson
            .replace("DAY-2", YMD.format(DAY.minusDays(2)))
            .replace("DAY+2", YMD.format(DAY.plusDays(2)))
            .replace("DAY-ISO", DAY.toString());
    Fixture f = awsSecret(null);
    ApiClient.Response r =
        resolve(f, "https://s3.us-east-1.amazonaws.com/b", json, X25519Keys.generate());
    assertThat(r.status()).as(json + ": " + r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.text("detail")).contains("signing_date");
  }

  @Test
  void theTtlEndsAtUtcMidnightWhenTheSigningKeyStopsWorking() throws Exception {
    CLOCK.pin(DAY.atTime(23, 59, 30).toInstant(ZoneOffset.UTC));
    Fixture f = awsSecret(null);
    ResolveResponse[] answer = new ResolveResponse[1];
    AwsDerivedCredential today =
        resolveDerived(f, "https://s3.us-east-1.amazonaws.com/b", null, answer);
    assertThat(today.scope().date()).isEqualTo(YMD.format(DAY));
    assertThat(answer[0].getTtlSeconds()).isEqualTo(30);

    // an agent whose clock already passed midnight asks for tomorrow's key: that one lives the full
    // TTL
    AwsDerivedCredential tomorrow =
        resolveDerived(
            f,
            "https://s3.us-east-1.amazonaws.com/b",
            ApiClient.quote(YMD.format(DAY.plusDays(1))),
            answer);
    assertThat(tomorrow.scope().date()).isEqualTo(YMD.format(DAY.plusDays(1)));
    assertThat(answer[0].getTtlSeconds()).isEqualTo(60);

    CLOCK.pin(DAY.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    assertThat(
            resolveDerived(f, "https://s3.us-east-1.amazonaws.com/b", null, answer).scope().date())
        .as("after midnight the key is derived for the new date")
        .isEqualTo(YMD.format(DAY.plusDays(1)));
  }

  @Test
  void aSessionTokenTravelsWithItsExpiryAndCutsTheTtl() throws Exception {
    Instant expires = NOON.plusSeconds(20);
    Fixture f =
        awsSecret(
            "\"credential_parts\":{\"secret_access_key\":"
                + ApiClient.quote(SECRET_ACCESS_KEY)
                + ",\"session_token\":\"FwoGZXIvYXdzEXAMPLESESSION\",\"session_expires_at\":\""
                + expires
                + "\"}");
    CLOCK.pin(NOON);
    ResolveResponse[] answer = new ResolveResponse[1];
    AwsDerivedCredential derived = resolveDerived(f, "https://sts.amazonaws.com/", null, answer);
    assertThat(derived.sessionToken()).isEqualTo("FwoGZXIvYXdzEXAMPLESESSION");
    assertThat(derived.sessionExpiresAtEpochSeconds()).isEqualTo(expires.getEpochSecond());
    assertThat(answer[0].getTtlSeconds()).isEqualTo(20);
  }

  @Test
  void anExpiredSessionTokenIsRefusedAndAudited() {
    Instant expires = NOON.plusSeconds(3600);
    Fixture f =
        awsSecret(
            "\"credential_parts\":{\"secret_access_key\":"
                + ApiClient.quote(SECRET_ACCESS_KEY)
                + ",\"session_token\":\"FwoGZXIvYXdzEXPIRED\",\"session_expires_at\":\""
                + expires.getEpochSecond()
                + "\"}");
    CLOCK.pin(expires);
    ApiClient.Response r =
        resolve(f, "https://s3.us-east-1.amazonaws.com/b", null, X25519Keys.generate());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("credential_expired");
    assertThat(r.text("grant_id")).isEqualTo(f.grantId());
    assertThat(r.text("detail")).contains(f.grantId()).contains(expires.toString());
    assertThat(r.body()).doesNotContain("FwoGZXIvYXdzEXPIRED").doesNotContain(SECRET_ACCESS_KEY);

    JsonNode events =
        service
            .api
            .get("/v1/audit?action=resolve&grant_id=" + f.grantId(), service.adminKey)
            .json()
            .path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("outcome").asText()).isEqualTo("denied");
    assertThat(events.get(0).path("reason").asText()).startsWith("credential_expired");
    assertThat(events.toString())
        .doesNotContain("FwoGZXIvYXdzEXPIRED")
        .doesNotContain(SECRET_ACCESS_KEY);
  }

  @Test
  void storingAnAwsSecretChecksItsParts() {
    JsonNode app = service.createApp("aws-bad-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    String secretPart = "\"secret_access_key\":" + ApiClient.quote(SECRET_ACCESS_KEY);
    String[][] cases = {
      {"", "credential_parts.secret_access_key is required"},
      {
        "\"credential_parts\":{\"session_token\":\"tok\"}",
        "credential_parts.secret_access_key is required"
      },
      {
        "\"credential_parts\":{"
            + secretPart
            + ",\"session_token\":\"tok\",\"session_expires_at\":\"tomorrow\"}",
        "ISO-8601"
      },
      {
        "\"credential_parts\":{"
            + secretPart
            + ",\"session_token\":\"tok\",\"session_expires_at\":\"2020-01-01T00:00:00Z\"}",
        "not in the future"
      },
      {
        "\"credential_parts\":{" + secretPart + ",\"session_expires_at\":\"" + NOON + "\"}",
        "session_token"
      },
      {
        "\"credential_parts\":{" + secretPart + ",\"region\":\"us-east-1\"}",
        "not a part of provider 'aws'"
      }
    };
    for (String[] c : cases) {
      String body =
          "{\"app_id\":\""
              + appId
              + "\",\"provider\":\"aws\",\"label\":\"l\",\"credential\":\""
              + ACCESS_KEY_ID
              + "\""
              + (c[0].isEmpty() ? "" : "," + c[0])
              + "}";
      ApiClient.Response r = service.api.post("/v1/secrets", service.adminKey, body);
      assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation_failed");
      assertThat(r.text("detail")).contains(c[1]);
      assertThat(r.body()).doesNotContain(SECRET_ACCESS_KEY).doesNotContain("tomorrow");
    }
    ApiClient.Response slash =
        service.api.post(
            "/v1/secrets",
            service.adminKey,
            "{\"app_id\":\""
                + appId
                + "\",\"provider\":\"aws\",\"label\":\"l\",\"credential\":\"AKIA/BAD\",\"credential_parts\":{"
                + secretPart
                + "}}");
    assertThat(slash.code()).isEqualTo("validation_failed");
    assertThat(slash.text("detail")).contains("access key id").doesNotContain("AKIA/BAD");

    Fixture f = awsSecret(null);
    ApiClient.Response rotate =
        service.api.put(
            "/v1/secrets/" + f.secretId() + "/credential",
            service.adminKey,
            "{\"credential\":\""
                + ACCESS_KEY_ID
                + "\",\"credential_parts\":{\"session_token\":\"tok\"}}");
    assertThat(rotate.code()).isEqualTo("validation_failed");
    assertThat(rotate.text("detail")).contains("secret_access_key is required");
  }

  @Test
  void storedTimesAuditAndTheSessionExpiryCheckReadTheServicesClock() {
    Instant past = Instant.parse("2021-03-04T05:06:07Z");
    CLOCK.pin(past);
    // in the future only by the service's clock: accepted because that clock, not the system's, is
    // asked
    Fixture f =
        awsSecret(
            "\"credential_parts\":{\"secret_access_key\":"
                + ApiClient.quote(SECRET_ACCESS_KEY)
                + ",\"session_token\":\"tok\",\"session_expires_at\":\""
                + past.plusSeconds(60)
                + "\"}");

    JsonNode secret = service.api.get("/v1/secrets/" + f.secretId(), service.adminKey).json();
    assertThat(secret.path("created_at").asText()).isEqualTo(past.toString());
    assertThat(secret.path("updated_at").asText()).isEqualTo(past.toString());
    JsonNode events =
        service
            .api
            .get("/v1/audit?action=secret.create&secret_id=" + f.secretId(), service.adminKey)
            .json()
            .path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("time").asText()).isEqualTo(past.toString());
  }

  @Test
  void rotationToTemporaryCredentialsAcceptsEpochSecondsOrAnInstant() throws Exception {
    CLOCK.pin(NOON);
    Fixture f = awsSecret(null);
    // epoch seconds, an instant in Z, and the form `aws sts get-session-token` prints (+00:00)
    for (String expiry :
        List.of(
            Long.toString(NOON.plusSeconds(45).getEpochSecond()),
            NOON.plusSeconds(45).toString(),
            NOON.plusSeconds(45)
                .atOffset(ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .replace("Z", "+00:00"))) {
      ApiClient.Response rotate =
          service.api.put(
              "/v1/secrets/" + f.secretId() + "/credential",
              service.adminKey,
              "{\"credential\":\"ASIAEXAMPLETEMP\",\"credential_parts\":{\"secret_access_key\":\"rotated-secret-key\","
                  + "\"session_token\":\"session-2\",\"session_expires_at\":\""
                  + expiry
                  + "\"}}");
      assertThat(rotate.status()).as(rotate.body()).isEqualTo(200);
      ResolveResponse[] answer = new ResolveResponse[1];
      AwsDerivedCredential derived =
          resolveDerived(f, "https://s3.us-east-1.amazonaws.com/b", null, answer);
      assertThat(derived.accessKeyId()).isEqualTo("ASIAEXAMPLETEMP");
      assertThat(derived.signingKey())
          .isEqualTo(AwsSigningKey.derive("rotated-secret-key", derived.scope()));
      assertThat(derived.sessionExpiresAtEpochSeconds())
          .isEqualTo(NOON.plusSeconds(45).getEpochSecond());
      assertThat(answer[0].getTtlSeconds()).isEqualTo(45);
    }
  }
}
