package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.util.List;

/** The without-resolver contract for every mode of the newest Apache HttpClient 5, on JDK 17. */
class ApacheClientWithoutResolverTest extends AbstractWithoutResolverContract<String> {
  @Override
  protected List<String> variants() {
    return List.of("classic", "async-http1", "async-http2");
  }

  @Override
  protected ChildJvm child(String mode) {
    return ApacheChild.configure(
        world,
        JavaRuntime.JDK_17,
        ApacheClientVersion.V5_6,
        mode,
        SharedResolverService.workDirectory("apache-no-resolver-" + mode).resolve("app.log"));
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child, String mode) {
    assertThat(ready.path("client_version").asText())
        .isEqualTo(ApacheClientVersion.V5_6.exactVersion());
  }
}
