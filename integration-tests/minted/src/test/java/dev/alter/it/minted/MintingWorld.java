package dev.alter.it.minted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One scenario's parts: the real service (its own, so its log and data can be scanned), an app with
 * its key, a recording HTTPS server standing in for the provider's API, and a child JVM running the
 * JDK client under the agent. Cold resolves of minted secrets wait for the token endpoint, so the
 * child's resolve timeout is generous.
 */
final class MintingWorld implements AutoCloseable {
  final ResolverServiceProcess service;
  final AdminClient admin;
  final AdminClient.App app;
  final RecordingServer provider;
  final RunningChild child;
  private final Path workDir;

  /** A service of its own (embedded store unless {@code jdbcUrl}) with a new app. */
  MintingWorld(String name, String jdbcUrl, Map<String, String> serviceEnvironment) {
    this(name, jdbcUrl, serviceEnvironment, null);
  }

  /**
   * @param app an app of the store {@code jdbcUrl} names (another replica's), or null for a new one
   */
  MintingWorld(
      String name, String jdbcUrl, Map<String, String> serviceEnvironment, AdminClient.App app) {
    workDir = SharedResolverService.workDirectory("minted-" + name);
    service = ResolverServiceProcess.start(workDir.resolve("service"), jdbcUrl, serviceEnvironment);
    admin = service.admin();
    this.app = app != null ? app : admin.createApp("minted-" + name);
    TestCertificate certificate = TestCertificate.generate(workDir);
    provider = RecordingServer.https(certificate);
    child = startApp(service.baseUrl(), certificate);
  }

  private RunningChild startApp(String resolverUrl, TestCertificate certificate) {
    RunningChild running =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .withAgent()
            .resolver(resolverUrl, app.apiKey)
            .systemProperty("alter.resolve.timeout", "20s")
            .start();
    running.nextReport(Duration.ofSeconds(30));
    return running;
  }

  /** A tagged GET through the child; returns the child's report. */
  JsonNode get(String grant) {
    return child.ask(
        "request " + ChildRequest.get(provider.origin() + "/v1/reports").grant(grant).toLine(),
        Duration.ofSeconds(60));
  }

  /** A tagged GET that must succeed; returns the bearer token the provider received. */
  String bearerReceived(String grant) {
    provider.clear();
    JsonNode report = get(grant);
    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
    RecordedRequest received = provider.singleRequest();
    assertThat(received.headerNames()).noneMatch(h -> h.toLowerCase().startsWith("alter-"));
    List<String> authorization = received.headerValues("Authorization");
    assertThat(authorization).hasSize(1);
    assertThat(authorization.get(0)).startsWith("Bearer ");
    return authorization.get(0).substring("Bearer ".length());
  }

  /** A tagged GET that must fail closed with {@code code}, nothing reaching the provider. */
  void failsClosed(String grant, String code) {
    provider.clear();
    JsonNode report = get(grant);
    assertThat(report.path("error").path("code").asText()).as("report %s", report).isEqualTo(code);
    assertThat(report.path("error").path("grant_id").asText()).isEqualTo(grant);
    assertThat(provider.requests()).isEmpty();
  }

  /**
   * Whether {@code canary} appears anywhere the long-lived secret must never be: the service's log
   * and data directory (the embedded database's files), the audit as the API serves it, and what
   * the app and the provider saw.
   */
  void assertNowhere(String canary) {
    assertThat(service.log()).doesNotContain(canary);
    assertThat(admin.audit(Map.of()).toString()).doesNotContain(canary);
    assertThat(provider.requests().toString()).doesNotContain(canary);
    try (Stream<Path> files = Files.walk(workDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).as("file %s", file).doesNotContain(canary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    child.close();
    provider.close();
    service.close();
  }
}
