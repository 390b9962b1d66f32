package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** When the store stops answering, every endpoint says store_unavailable and writes nothing. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class StoreFailureTest {
  @Parameter Backend backend;

  @Test
  void aDeadStoreAnswersStoreUnavailable() {
    try (TestService service = TestService.start(backend, StoreFailureTest.class)) {
      var app = service.createApp("before-failure");
      String appId = app.path("app_id").asText();
      String appKey = app.path("api_key").path("key").asText();
      String secretId =
          service.createSecret(appId, "stripe", "sk-fail", null).path("secret_id").asText();
      ((HikariDataSource) service.running.database().dataSource()).close();

      for (ApiClient.Response r :
          List.of(
              service.api.post("/v1/apps", service.adminKey, "{\"name\":\"after\"}"),
              service.api.get("/v1/apps", service.adminKey),
              service.api.put(
                  "/v1/secrets/" + secretId + "/credential",
                  service.adminKey,
                  "{\"credential\":\"sk-2\"}"),
              service.api.post(
                  "/v1/resolve",
                  appKey,
                  "{\"grant\":\"grt_x\",\"destination\":{\"method\":\"GET\","
                      + "\"url\":\"https://api.stripe.com\"},\"public_key\":\""
                      + "A".repeat(43)
                      + "\"}"))) {
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("store_unavailable");
        assertThat(r.text("detail")).isEqualTo("the store did not answer; nothing was changed");
        assertThat(r.body()).doesNotContain("SQLSTATE").doesNotContain("Hikari");
      }
      ApiClient.Response ready = service.api.get("/readyz", null);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.code()).isEqualTo("store_unavailable");
      assertThat(ready.text("detail")).isEqualTo("the store does not answer");
      assertThat(service.api.get("/healthz", null).status())
          .as("liveness does not depend on the store")
          .isEqualTo(200);
    }
  }
}
