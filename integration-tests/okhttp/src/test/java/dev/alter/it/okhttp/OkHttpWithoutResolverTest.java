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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The without-resolver contract for OkHttp: every release from 3.11 (the scripted app's {@code
 * EventListener} came with 3.9; 3.5 is covered by the AWS signing app), through execute() and
 * enqueue().
 */
class OkHttpWithoutResolverTest extends AbstractWithoutResolverContract<OkHttpRelease> {
  @Override
  protected List<OkHttpRelease> variants() {
    return Stream.of(OkHttpRelease.values())
        .filter(release -> release != OkHttpRelease.OKHTTP_3_5)
        .collect(Collectors.toList());
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
