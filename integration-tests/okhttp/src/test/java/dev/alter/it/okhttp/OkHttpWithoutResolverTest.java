package dev.alter.it.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.okhttp.app.ScriptedOkHttpClient;
import java.nio.file.Path;
import java.util.List;

/** The without-resolver contract for OkHttp: every release, through execute() and enqueue(). */
class OkHttpWithoutResolverTest extends AbstractWithoutResolverContract<OkHttpRelease> {
  @Override
  protected List<OkHttpRelease> variants() {
    return List.of(OkHttpRelease.values());
  }

  @Override
  protected ChildJvm child(OkHttpRelease release) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedOkHttpClient.class, "execute", "HTTP_2")
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  @Override
  protected void assertReady(JsonNode ready, RunningChild child, OkHttpRelease release) {
    assertThat(ready.path("okhttp_version").asText()).isEqualTo(release.version);
  }

  @Override
  protected List<String> requestCommands() {
    return List.of("execute", "enqueue");
  }

  @Override
  protected void assertRefusalLeftNoTrace(JsonNode report, RunningChild app) {
    assertThat(report.path("observed").path("events").path("request_headers_end").asInt()).isZero();
    assertThat(report.path("observed").path("network_interceptor")).as("attempts").hasSize(1);
  }
}
