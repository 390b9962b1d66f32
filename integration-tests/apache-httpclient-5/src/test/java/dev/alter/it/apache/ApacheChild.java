package dev.alter.it.apache;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import java.nio.file.Path;
import java.util.List;

/** Configures {@link ScriptedApacheClient} in a child JVM with one client version's jars. */
final class ApacheChild {
  private ApacheChild() {}

  static ChildJvm configure(
      ClientWorld world,
      JavaRuntime runtime,
      ApacheClientVersion version,
      String mode,
      Path logFile) {
    return configure(world, runtime, version.jars(), mode, logFile);
  }

  /** As above, with the client's jars given (e.g. one of them rewritten). */
  static ChildJvm configure(
      ClientWorld world, JavaRuntime runtime, List<Path> jars, String mode, Path logFile) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedApacheClient.class, mode)
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts)
            // the app's own logging: slf4j-simple into a file, the client's debug loggers switched
            // on
            .systemProperty("org.slf4j.simpleLogger.logFile", logFile.toString())
            .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "info")
            .systemProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.wire", "debug")
            .systemProperty(
                "org.slf4j.simpleLogger.log.org.apache.hc.client5.http.headers", "debug")
            .systemProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http2", "debug");
    for (Path jar : jars) {
      child.classpathEntry(jar);
    }
    return child;
  }
}
