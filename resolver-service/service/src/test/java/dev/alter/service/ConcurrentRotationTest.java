package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class ConcurrentRotationTest {
  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, ConcurrentRotationTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  @Test
  void parallelRotationsGetConsecutiveVersionsAndNoneIsLost() throws Exception {
    String appId = service.createApp("rotations").path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", "sk-0", null).path("secret_id").asText();
    int threads = 8;
    int perThread = 5;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Callable<List<Long>> rotate =
          () -> {
            List<Long> versions = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              ApiClient.Response r =
                  service.api.put(
                      "/v1/secrets/" + secretId + "/credential",
                      service.adminKey,
                      "{\"credential\":\"sk-" + thread + "-" + i + "\"}");
              assertThat(r.status()).as(r.body()).isEqualTo(200);
              versions.add(r.json().path("version").asLong());
            }
            return versions;
          };
      results.add(pool.submit(rotate));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    long total = threads * perThread;
    assertThat(all)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, total + 1).boxed().toList());
    assertThat(
            service
                .api
                .get("/v1/secrets/" + secretId, service.adminKey)
                .json()
                .path("version")
                .asLong())
        .isEqualTo(total + 1);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM credential_versions WHERE secret_id = '" + secretId + "'"))
        .isEqualTo(total + 1);
    assertThat(
            service.count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'secret.rotate' AND secret_id = '"
                    + secretId
                    + "'"))
        .isEqualTo(total);
  }
}
