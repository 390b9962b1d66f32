package dev.alter.it.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.util.List;

/**
 * The without-resolver contract for Jetty's HttpClient over HTTP/2: 11 and 12.1, one of each
 * package layout (12.0 shares 12.1's; the client contract runs it), to keep the module's time.
 */
class JettyWithoutResolverTest extends AbstractWithoutResolverContract<JettyRelease> {
  @Override
  protected List<JettyRelease> variants() {
    return List.of(JettyRelease.JETTY_11, JettyRelease.JETTY_12_1);
  }

  @Override
  protected ChildJvm child(JettyRelease release) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .classpathOf(ChildReport.class)
            .main(release.app().toString(), "H2")
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child, JettyRelease release) {
    assertThat(ready.path("jetty_version").asText()).isEqualTo(release.version);
  }

  @Override
  protected void assertRefusalLeftNoTrace(JsonNode report, RunningChild app) {
    // Jetty had the request's headers ready, but never committed them to the connection
    assertThat(report.path("observed").toString()).doesNotContain("on_commit", "on_success");
  }
}
