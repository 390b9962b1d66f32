package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every write the API acknowledged survives {@code kill -9} of the service: concurrent clients
 * revoke, rotate, create and resolve against the service jar in a child JVM, which is killed once a
 * random number of writes has been answered, restarted on the same store, and checked against what
 * the clients were told. Several rounds on one store, each killed at another moment.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class CrashDurabilityIT {
  private static final int ROUNDS = 5;
  private static final String DESTINATION = "https://api.stripe.com/v1/charges";

  @Parameter Backend backend;

  @Test
  void everyAcknowledgedWriteSurvivesKill9() throws Exception {
    try (TestStore store = TestStore.create(backend, CrashDurabilityIT.class)) {
      Map<String, String> env = environment(store);
      Path work = store.dataDir.resolve("process");
      Acknowledged acked = new Acknowledged();
      Fixture fixture = null;
      for (int round = 1; round <= ROUNDS; round++) {
        try (ServiceProcess service = ServiceProcess.launch(work, env)) {
          Client client = new Client(new ApiClient(service.awaitReady()), adminKey(store));
          if (fixture == null) {
            fixture = Fixture.create(client);
          } else {
            acked.assertAllPresent(client, fixture, "after kill " + (round - 1));
          }
          long killAfter = acked.writes() + ThreadLocalRandom.current().nextLong(20, 120);
          Load load = Load.start(client, fixture, acked);
          acked.awaitWrites(killAfter, service);
          service.kill();
          load.stop();
        }
      }
      try (ServiceProcess service = ServiceProcess.launch(work, env)) {
        Client client = new Client(new ApiClient(service.awaitReady()), adminKey(store));
        acked.assertAllPresent(client, fixture, "after kill " + ROUNDS);
      }
      assertThat(acked.revoked).as("the load revoked grants").isNotEmpty();
      assertThat(acked.versions).as("the load rotated credentials").isNotEmpty();
      assertThat(acked.apps).as("the load created apps").isNotEmpty();
      assertThat(acked.secrets).as("the load created secrets").isNotEmpty();
      assertThat(acked.resolves.values().stream().mapToLong(AtomicLong::get).sum())
          .as("the load resolved")
          .isPositive();
    }
  }

  private static Map<String, String> environment(TestStore store) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> env = ServiceProcess.storeEnvironment(store);
    env.put("ALTER_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    return env;
  }

  private static String adminKey(TestStore store) throws IOException {
    return Files.readString(store.dataDir.resolve("admin.key")).trim();
  }

  private record Client(ApiClient api, String adminKey) {
    ApiClient.Response admin(String method, String path, String body) {
      return api.send(method, path, adminKey, body);
    }

    ApiClient.Response resolve(String appKey, String grantId) {
      return ResolveRequests.resolve(api, appKey, grantId, DESTINATION);
    }

    String createSecret(String appId, String credential) {
      ApiClient.Response r =
          admin(
              "POST",
              "/v1/secrets",
              "{\"app_id\":"
                  + ApiClient.quote(appId)
                  + ",\"provider\":\"stripe\",\"label\":\"crash\",\"credential\":"
                  + ApiClient.quote(credential)
                  + "}");
      return r.status() == 201 ? r.text("secret_id") : null;
    }

    String createGrant(String secretId) {
      ApiClient.Response r =
          admin(
              "POST",
              "/v1/grants",
              "{\"secret_id\":"
                  + ApiClient.quote(secretId)
                  + ",\"label\":\"crash\",\"principal\":{\"type\":\"system\",\"label\":\"svc\"}}");
      return r.status() == 201 ? r.text("grant_id") : null;
    }
  }

  /** One app and its key; a secret per rotating client; a secret and grant per resolving client. */
  private record Fixture(
      String appKey,
      String appId,
      List<String> rotated,
      List<String> resolved,
      String revokedFrom) {
    static final int ROTATORS = 2;
    static final int RESOLVERS = 2;

    static Fixture create(Client c) {
      ApiClient.Response app = c.admin("POST", "/v1/apps", "{\"name\":\"crash\"}");
      assertThat(app.status()).as(app.body()).isEqualTo(201);
      String appId = app.text("app_id");
      List<String> rotated = new ArrayList<>();
      for (int i = 0; i < ROTATORS; i++) {
        rotated.add(c.createSecret(appId, "sk_rotated_" + i));
      }
      List<String> resolved = new ArrayList<>();
      for (int i = 0; i < RESOLVERS; i++) {
        resolved.add(c.createGrant(c.createSecret(appId, "sk_resolved_" + i)));
      }
      String revokedFrom = c.createSecret(appId, "sk_revoked");
      assertThat(rotated).doesNotContainNull();
      assertThat(resolved).doesNotContainNull();
      assertThat(revokedFrom).isNotNull();
      return new Fixture(
          app.json().path("api_key").path("key").asText(), appId, rotated, resolved, revokedFrom);
    }
  }

  /** What the service answered with a 2xx, recorded only once the answer arrived. */
  private static final class Acknowledged {
    final Set<String> apps = ConcurrentHashMap.newKeySet();
    final Set<String> secrets = ConcurrentHashMap.newKeySet();
    final Set<String> grants = ConcurrentHashMap.newKeySet();
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    final Map<String, Long> versions = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> resolves = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    long writes() {
      return writes.get();
    }

    void wrote() {
      synchronized (writes) {
        writes.incrementAndGet();
        writes.notifyAll();
      }
    }

    void awaitWrites(long target, ServiceProcess service) throws InterruptedException {
      synchronized (writes) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (writes.get() < target) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          assertThat(left)
              .as(
                  "acknowledged writes: %d of %d within 60 s\n%s",
                  writes.get(), target, service.output())
              .isPositive();
          writes.wait(left);
        }
      }
    }

    void assertAllPresent(Client c, Fixture f, String when) {
      for (String appId : apps) {
        assertThat(c.admin("GET", "/v1/apps/" + appId, null).status())
            .as("created app %s %s", appId, when)
            .isEqualTo(200);
      }
      for (String secretId : secrets) {
        assertThat(c.admin("GET", "/v1/secrets/" + secretId, null).status())
            .as("created secret %s %s", secretId, when)
            .isEqualTo(200);
      }
      for (String grantId : grants) {
        assertThat(c.admin("GET", "/v1/grants/" + grantId, null).status())
            .as("created grant %s %s", grantId, when)
            .isEqualTo(200);
      }
      for (String grantId : revoked) {
        ApiClient.Response g = c.admin("GET", "/v1/grants/" + grantId, null);
        assertThat(g.json().path("revoked_at").isTextual())
            .as("revoked grant %s %s: %s", grantId, when, g.body())
            .isTrue();
        assertThat(c.resolve(f.appKey(), grantId).code())
            .as("revoked grant %s resolves %s", grantId, when)
            .isEqualTo("grant_revoked");
      }
      versions.forEach(
          (secretId, confirmed) -> {
            long current =
                c.admin("GET", "/v1/secrets/" + secretId, null).json().path("version").asLong();
            assertThat(current)
                .as("secret %s confirmed at version %d %s", secretId, confirmed, when)
                .isGreaterThanOrEqualTo(confirmed);
          });
      resolves.forEach(
          (grantId, answered) ->
              assertThat(allowedResolveEvents(c, grantId))
                  .as(
                      "audit rows of the %d answered resolves of %s %s",
                      answered.get(), grantId, when)
                  .isGreaterThanOrEqualTo(answered.get()));
    }

    private static long allowedResolveEvents(Client c, String grantId) {
      long n = 0;
      String cursor = null;
      do {
        ApiClient.Response page =
            c.admin(
                "GET",
                "/v1/audit?action=resolve&outcome=allowed&limit=1000&grant_id="
                    + grantId
                    + (cursor == null ? "" : "&cursor=" + cursor),
                null);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        JsonNode json = page.json();
        n += json.path("events").size();
        cursor = json.path("next_cursor").asText(null);
      } while (cursor != null);
      return n;
    }
  }

  /** Client threads, each doing one kind of write until the service stops answering. */
  private static final class Load {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    static Load start(Client c, Fixture f, Acknowledged acked) {
      Load load = new Load();
      for (String secretId : f.rotated()) {
        load.run(
            "rotate",
            () -> {
              ApiClient.Response r =
                  c.admin(
                      "PUT",
                      "/v1/secrets/" + secretId + "/credential",
                      "{\"credential\":\"sk_" + System.nanoTime() + "\"}");
              if (r.status() == 200) {
                acked.versions.merge(secretId, r.json().path("version").asLong(), Math::max);
                acked.wrote();
              }
            });
      }
      for (String grantId : f.resolved()) {
        load.run(
            "resolve",
            () -> {
              if (c.resolve(f.appKey(), grantId).status() == 200) {
                acked.resolves.computeIfAbsent(grantId, g -> new AtomicLong()).incrementAndGet();
              }
            });
      }
      load.run(
          "revoke",
          () -> {
            String grantId = c.createGrant(f.revokedFrom());
            if (grantId != null) {
              acked.grants.add(grantId);
              acked.wrote();
              if (c.admin("POST", "/v1/grants/" + grantId + "/revoke", "{}").status() == 200) {
                acked.revoked.add(grantId);
                acked.wrote();
              }
            }
          });
      load.run(
          "create",
          () -> {
            ApiClient.Response app =
                c.admin("POST", "/v1/apps", "{\"name\":\"crash-" + System.nanoTime() + "\"}");
            if (app.status() == 201) {
              acked.apps.add(app.text("app_id"));
              acked.wrote();
              String secretId = c.createSecret(app.text("app_id"), "sk_created");
              if (secretId != null) {
                acked.secrets.add(secretId);
                acked.wrote();
              }
            }
          });
      return load;
    }

    private void run(String name, Runnable step) {
      Thread t =
          new Thread(
              () -> {
                while (!stopped.get()) {
                  try {
                    step.run();
                  } catch (RuntimeException killed) {
                    // the service is gone (or going): nothing after this was acknowledged
                    return;
                  }
                }
              },
              "crash-load-" + name);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
    }
  }
}
