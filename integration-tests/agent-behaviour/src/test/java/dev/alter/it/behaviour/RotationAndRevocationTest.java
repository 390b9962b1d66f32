package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.OperatorCli;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator rotates and revokes with the real CLI while the app keeps running under the agent:
 * the rotated credential is used once the cache TTL has passed, without a restart, and a revoked
 * grant fails closed once the TTL has passed.
 */
class RotationAndRevocationTest {
  private static ResolverServiceProcess service;
  private static OperatorCli cli;
  private static StandInProvider provider;

  @BeforeAll
  static void start() {
    service = SharedResolverService.get();
    provider = new StandInProvider("rotation");
    cli = OperatorCli.against(service, provider.workDir);
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  private static JsonNode send(RunningChild child, String grant) {
    return child.ask(
        "request " + ChildRequest.get(provider.origin() + "/api/v1/events").grant(grant).toLine(),
        Duration.ofSeconds(40));
  }

  private static String lastReceivedKey() {
    List<RecordedRequest> all = provider.server.requests();
    return all.get(all.size() - 1).header("DD-API-KEY");
  }

  @Test
  void rotatedCredentialIsUsedAfterTheTtlWithoutRestartingTheApp() throws InterruptedException {
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("rotation-it-" + System.nanoTime());
    String oldKey = StandInProvider.randomCredential("old");
    String newKey = StandInProvider.randomCredential("new");
    String secret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", oldKey)
                .destinations(provider.origin())
                .ttlSeconds(5));
    String grant = admin.createSystemGrant(secret, "rotation");

    try (RunningChild child = provider.startApp(service.baseUrl(), app.apiKey)) {
      ResolverCacheTest.assertOk(send(child, grant));
      // the agent cached the credential before this point: its TTL runs from no later than now
      long first = System.nanoTime();
      assertThat(lastReceivedKey()).isEqualTo(oldKey);

      OperatorCli.Outcome rotated = cli.run(newKey, "secrets", "rotate", secret);
      assertThat(rotated.json().path("version").asInt()).isEqualTo(2);
      assertThat(rotated.stdout + rotated.stderr).doesNotContain(newKey);

      ResolverCacheTest.sleepUntil(first, Duration.ofMillis(5_800));
      ResolverCacheTest.assertOk(send(child, grant));
      assertThat(lastReceivedKey()).isEqualTo(newKey);
      assertThat(child.isAlive()).isTrue();
    }
  }

  @Test
  void revokedGrantFailsClosedOnceTheTtlHasPassed() throws InterruptedException {
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("revocation-it-" + System.nanoTime());
    String secret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", StandInProvider.randomCredential("dd"))
                .destinations(provider.origin())
                .ttlSeconds(5));
    String grant = admin.createSystemGrant(secret, "revocation");

    try (RunningChild child = provider.startApp(service.baseUrl(), app.apiKey)) {
      ResolverCacheTest.assertOk(send(child, grant));
      // the agent cached the credential before this point: its TTL runs from no later than now
      long first = System.nanoTime();

      JsonNode revoked = cli.run(null, "grants", "revoke", grant).json();
      assertThat(revoked.path("revoked_at").isNull()).isFalse();

      ResolverCacheTest.sleepUntil(first, Duration.ofMillis(5_800));
      provider.server.clear();
      JsonNode report = send(child, grant);
      assertThat(report.path("error").path("code").asText())
          .as("report %s", report)
          .isEqualTo("grant_revoked");
      assertThat(report.path("error").path("grant_id").asText()).isEqualTo(grant);
      assertThat(provider.server.requests()).isEmpty();
    }
  }
}
