package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;

/** Starts {@link ScriptedApacheClient} in a child JVM with one client version's jars. */
final class ApacheChild {
  private ApacheChild() {}

  static ChildJvm configure(ClientWorld world, JavaRuntime runtime, ApacheClientVersion version,
      String mode, Path logFile) {
    ChildJvm child = ChildJvm.create().runtime(runtime)
        .main(ScriptedApacheClient.class, mode)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate).hosts(world.hosts)
        // the app's own logging: slf4j-simple into a file, the client's debug loggers switched on
        .systemProperty("org.slf4j.simpleLogger.logFile", logFile.toString())
        .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "info")
        .systemProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.wire", "debug")
        .systemProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.headers", "debug")
        .systemProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http2", "debug");
    for (Path jar : version.jars()) {
      child.classpathEntry(jar);
    }
    return child;
  }

  static RunningChild startAndAwaitReady(ChildJvm child, JavaRuntime runtime, ApacheClientVersion version) {
    RunningChild running = child.start();
    JsonNode ready = running.nextReport(Duration.ofSeconds(30));
    assertThat(ready.path("java_version").asInt()).as(running.describe())
        .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    assertThat(ready.path("client_version").asText()).isEqualTo(version.exactVersion());
    return running;
  }
}
