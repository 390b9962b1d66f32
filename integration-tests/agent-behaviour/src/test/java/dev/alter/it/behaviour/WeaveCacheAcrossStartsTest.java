package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The weave cache across real starts of the agent jar: the first start weaves the JDK client's
 * classes with Byte Buddy and stores them; the next serves them from the cache without starting
 * Byte Buddy; entries changed on disk are rejected (woven again, and stored again); a cache
 * directory other users may write is not used. Every start injects the credential.
 */
class WeaveCacheAcrossStartsTest {
  private static final String BYTE_BUDDY_STARTED = "Byte Buddy started";
  private static final String SERVED = "(from the weave cache)";

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void secondStartServesWovenClassesFromTheCacheAndRejectsTamperedEntries(JavaRuntime runtime)
      throws Exception {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("weave-cache-" + runtime + "-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("weave-cache-" + runtime)) {
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "weave-cache");
      Path cache = provider.workDir.resolve("weave-cache-" + runtime);

      String first = startAndSend(runtime, provider, service, app, grant, credential, cache);
      assertThat(first).contains(BYTE_BUDDY_STARTED).doesNotContain(SERVED);
      List<Path> entries = entries(cache);
      assertThat(entries).as("woven classes stored").isNotEmpty();
      assertThat(permissions(cache)).isEqualTo("rwx------");
      for (Path entry : entries) {
        assertThat(permissions(entry)).as("%s", entry).isEqualTo("rw-------");
      }

      String second = startAndSend(runtime, provider, service, app, grant, credential, cache);
      assertThat(second).contains(SERVED).doesNotContain(BYTE_BUDDY_STARTED);

      for (Path entry : entries) {
        byte[] content = Files.readAllBytes(entry);
        content[content.length - 1] ^= 1;
        Files.write(entry, content);
      }
      String tampered = startAndSend(runtime, provider, service, app, grant, credential, cache);
      assertThat(tampered)
          .as("every changed entry is rejected and the class woven again")
          .contains(BYTE_BUDDY_STARTED)
          .doesNotContain(SERVED);

      String rewritten = startAndSend(runtime, provider, service, app, grant, credential, cache);
      assertThat(rewritten).contains(SERVED).doesNotContain(BYTE_BUDDY_STARTED);

      Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
      String shared = startAndSend(runtime, provider, service, app, grant, credential, cache);
      assertThat(shared)
          .contains("the weave cache in " + cache + " is not used")
          .contains("open to other users")
          .contains(BYTE_BUDDY_STARTED)
          .doesNotContain(SERVED);
    }
  }

  /** One start of the app: a tagged request that must arrive with its credential; its stderr. */
  private static String startAndSend(
      JavaRuntime runtime,
      StandInProvider provider,
      ResolverServiceProcess service,
      AdminClient.App app,
      String grant,
      String credential,
      Path cache) {
    provider.server.clear();
    try (RunningChild child =
        provider
            .app(runtime, "HTTP_1_1")
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .env("ALTER_WEAVE_CACHE", cache.toString())
            .env("ALTER_LOG_LEVEL", "FINE")
            .start()) {
      child.nextReport(Duration.ofSeconds(30));
      JsonNode report =
          child.ask(
              "request "
                  + ChildRequest.get(provider.origin() + "/api/v1/validate").grant(grant).toLine(),
              Duration.ofSeconds(40));
      assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
      RecordedRequest received = provider.server.singleRequest();
      assertThat(received.header("DD-API-KEY")).isEqualTo(credential);
      assertThat(received.hasAnyAlterHeader()).isFalse();
      child.close();
      String stderr = child.stderr();
      assertThat(stderr).doesNotContain(credential);
      return stderr;
    }
  }

  private static List<Path> entries(Path cache) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".class"))
          .collect(Collectors.toList());
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
