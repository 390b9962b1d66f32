package dev.alter.it.apache4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.util.List;

/**
 * The without-resolver contract for Apache HttpClient 4.5.14 on JDK 17 and 25; refusals are not
 * retried.
 */
class Apache4WithoutResolverTest extends AbstractWithoutResolverContract<JavaRuntime> {
  @Override
  protected List<JavaRuntime> variants() {
    return List.of(JavaRuntime.values());
  }

  @Override
  protected ChildJvm child(JavaRuntime runtime) {
    return Apache4Contract.child(world, runtime, Apache4Version.V4_5_14);
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child, JavaRuntime runtime) {
    assertThat(ready.path("client_version").asText()).isEqualTo(Apache4Version.V4_5_14.release());
  }

  @Override
  protected void assertRefusalLeftNoTrace(JsonNode report, RunningChild app) {
    // the default retry handler logs every retry at INFO
    assertThat(app.stderr()).doesNotContain("Retrying request");
  }
}
