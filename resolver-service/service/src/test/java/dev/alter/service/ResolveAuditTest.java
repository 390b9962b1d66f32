package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resolves are audited by group commit: concurrent resolves share audit transactions, yet each one
 * is answered only after its own record is committed, and an allowed resolve whose record cannot be
 * committed is refused with store_unavailable.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ResolveAuditTest {
  private static final int THREADS = 12;
  private static final int RESOLVES_PER_THREAD = 6;

  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, ResolveAuditTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private record Fixture(String appKey, String secretId) {}

  private static Fixture stripe(String credential) {
    JsonNode app = service.createApp("audit-" + System.nanoTime());
    String appId = app.path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", credential, null).path("secret_id").asText();
    return new Fixture(app.path("api_key").path("key").asText(), secretId);
  }

  private static ApiClient.Response resolve(String appKey, String grantId) {
    String publicKey =
        CredentialSealing.encodePublicKey(
            X25519Keys.rawPublicKey(X25519Keys.generate().getPublic()));
    return service.api.post(
        "/v1/resolve",
        appKey,
        "{\"grant\":"
            + ApiClient.quote(grantId)
            + ",\"destination\":{\"method\":\"POST\",\"url\":\"https://api.stripe.com/v1/charges\"},\"public_key\":\""
            + publicKey
            + "\"}");
  }

  private static long allowedRecords(String grantId) {
    return service.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve' AND outcome = 'allowed' "
            + "AND grant_id = '"
            + grantId
            + "'");
  }

  @Test
  void concurrentResolvesAreEachAnsweredOnlyAfterTheirAuditRecordIsCommitted() throws Exception {
    Fixture f = stripe("sk_live_group_commit");
    List<String> grants = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      grants.add(service.createSystemGrant(f.secretId(), "worker-" + t).path("grant_id").asText());
    }
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (String grantId : grants) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 1; i <= RESOLVES_PER_THREAD; i++) {
                    ApiClient.Response r = resolve(f.appKey(), grantId);
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    // one thread per grant: its i-th answer must find its i records already
                    // committed
                    assertThat(allowedRecords(grantId))
                        .as("audit records of %s after answer %d", grantId, i)
                        .isEqualTo(i);
                  }
                  return null;
                }));
      }
      for (Future<?> r : results) {
        r.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String grantId : grants) {
      assertThat(allowedRecords(grantId)).isEqualTo(RESOLVES_PER_THREAD);
    }
  }

  @Test
  void anAllowedResolveWhoseAuditRecordCannotBeCommittedFailsWithStoreUnavailable()
      throws Exception {
    Fixture f = stripe("sk_live_audit_down");
    String grantId =
        service.createSystemGrant(f.secretId(), "audit-down").path("grant_id").asText();
    assertThat(resolve(f.appKey(), grantId).status()).isEqualTo(200);
    renameAuditTable("audit_events", "audit_events_offline");
    try {
      ApiClient.Response allowed = resolve(f.appKey(), grantId);
      assertThat(allowed.status()).as(allowed.body()).isEqualTo(503);
      assertThat(allowed.code()).isEqualTo("store_unavailable");
      assertThat(allowed.body()).doesNotContain("sk_live_audit_down").doesNotContain("sealed");
      // a denial stays the denial it was, even when it cannot be audited
      ApiClient.Response denied = resolve(f.appKey(), "grt_doesnotexist");
      assertThat(denied.code()).isEqualTo("grant_not_found");
    } finally {
      renameAuditTable("audit_events_offline", "audit_events");
    }
    assertThat(resolve(f.appKey(), grantId).status()).isEqualTo(200);
    assertThat(allowedRecords(grantId)).isEqualTo(2);
  }

  @Test
  void repeatedIdenticalDenialsAreOneRowWithACountAndTheFirstIsAuditedAtOnce() {
    Fixture f = stripe("sk_live_repeated_denials");
    String revoked = service.createSystemGrant(f.secretId(), "revoked").path("grant_id").asText();
    String other = service.createSystemGrant(f.secretId(), "other").path("grant_id").asText();
    ApiClient.Response revoke =
        service.api.post("/v1/grants/" + revoked + "/revoke", service.adminKey, "{}");
    assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);
    assertThat(service.api.post("/v1/grants/" + other + "/revoke", service.adminKey, "{}").status())
        .isEqualTo(200);

    assertThat(resolve(f.appKey(), revoked).code()).isEqualTo("grant_revoked");
    assertThat(deniedRows(revoked)).as("the first denial, audited before its answer").isEqualTo(1);
    for (int i = 0; i < 24; i++) {
      assertThat(resolve(f.appKey(), revoked).code()).isEqualTo("grant_revoked");
    }
    assertThat(resolve(f.appKey(), other).code()).isEqualTo("grant_revoked");

    assertThat(deniedRows(revoked)).isEqualTo(1);
    assertThat(deniedRows(other)).as("another grant's denial is its own row").isEqualTo(1);
    JsonNode events =
        service
            .api
            .get("/v1/audit?grant_id=" + revoked + "&action=resolve", service.adminKey)
            .json()
            .path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("outcome").asText()).isEqualTo("denied");
    assertThat(events.get(0).path("count").asInt()).isEqualTo(25);
    assertThat(events.get(0).path("last_time").asText()).isNotEmpty();
    assertThat(events.get(0).path("reason").asText()).startsWith("grant_revoked");
  }

  private static long deniedRows(String grantId) {
    return service.count(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'resolve' AND outcome = 'denied' "
            + "AND grant_id = '"
            + grantId
            + "'");
  }

  private static void renameAuditTable(String from, String to) throws Exception {
    try (Connection c = service.running.database().dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + from + " RENAME TO " + to);
      c.commit();
    }
  }
}
