package dev.alter.it.behaviour;

import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A recording HTTPS server standing in for {@code api.datadoghq.com} (a hosts file maps the name to
 * 127.0.0.1 in child JVMs), and the launcher of the JDK-client app that calls it.
 */
final class StandInProvider implements AutoCloseable {
  static final String HOST = "api.datadoghq.com";

  final Path workDir;
  final TestCertificate certificate;
  final HostsFile hosts;
  final RecordingServer server;

  StandInProvider(String name) {
    workDir = SharedResolverService.workDirectory(name);
    certificate = TestCertificate.generate(workDir, List.of(HOST));
    hosts = HostsFile.loopback(workDir, List.of(HOST));
    server = RecordingServer.https(certificate, HOST);
  }

  /** {@code https://api.datadoghq.com:PORT}: the destination secrets allow. */
  String origin() {
    return server.origin();
  }

  /** A child JVM running the scripted JDK client against this provider, not yet started. */
  ChildJvm app(JavaRuntime runtime, String version) {
    return ChildJvm.create()
        .runtime(runtime)
        .main(ScriptedJdkClient.class, "send", version)
        .trusting(certificate)
        .hosts(hosts);
  }

  /** Starts the app under the agent, configured for {@code resolverUrl} and {@code appKey}. */
  RunningChild startApp(String resolverUrl, String appKey, String... systemProperties) {
    ChildJvm child = app(JavaRuntime.JDK_17, "HTTP_1_1").withAgent().resolver(resolverUrl, appKey);
    for (String property : systemProperties) {
      int eq = property.indexOf('=');
      child.systemProperty(property.substring(0, eq), property.substring(eq + 1));
    }
    RunningChild running = child.start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  static String randomCredential(String prefix) {
    return prefix + RandomHex.of(16);
  }

  @Override
  public void close() {
    server.close();
  }
}
