package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An app that ships its own Jackson, Byte Buddy and OkHttp, all different versions from the
 * agent's, works unchanged under the agent, and its tagged requests still get the credential
 * (through its own OkHttp and through the JDK client).
 */
class CoexistenceTest {
  @Test
  void appWithItsOwnJacksonByteBuddyAndOkHttpWorksUnchangedUnderTheAgent() throws IOException {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("coexistence-it-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("coexistence")) {
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "coexist");

      ChildJvm child =
          ChildJvm.create()
              .runtime(JavaRuntime.JDK_17)
              .withAgent()
              .resolver(service.baseUrl(), app.apiKey)
              .trusting(provider.certificate)
              .hosts(provider.hosts)
              .classpathEntry(Path.of(System.getProperty("alter.coexistence.classes")))
              .main("dev.alter.it.coexistence.CoexistenceApp", provider.origin(), grant);
      for (String entry : appClasspath()) {
        child.classpathEntry(Path.of(entry));
      }
      ChildResult result = child.run();
      JsonNode report = result.report();

      assertThat(report.path("jackson_version").asText()).isEqualTo("2.17.2");
      assertThat(report.path("jackson_jar").asText()).isEqualTo("jackson-databind-2.17.2.jar");
      assertThat(report.path("jackson_round_trip").asBoolean()).isTrue();
      assertThat(report.path("bytebuddy_jar").asText()).isEqualTo("byte-buddy-1.14.18.jar");
      assertThat(report.path("bytebuddy_generated").asText())
          .isEqualTo("made by the app's Byte Buddy");
      assertThat(report.path("okhttp_jar").asText()).isEqualTo("okhttp-4.12.0.jar");
      assertThat(report.path("okhttp_untagged").asInt()).as(result.describe()).isEqualTo(200);
      assertThat(report.path("okhttp_tagged").asInt()).as(result.describe()).isEqualTo(200);
      assertThat(report.path("jdk_tagged").asInt()).as(result.describe()).isEqualTo(200);

      for (RecordedRequest received : provider.server.requests()) {
        assertThat(received.hasAnyAlterHeader()).isFalse();
        if (received.target().endsWith("/tagged")) {
          assertThat(received.headerValues("DD-API-KEY"))
              .as(received.target())
              .containsExactly(credential);
        } else {
          assertThat(received.hasHeader("DD-API-KEY")).isFalse();
        }
      }
      assertThat(provider.server.requests())
          .extracting(RecordedRequest::target)
          .containsExactly("/okhttp/untagged", "/okhttp/tagged", "/jdk/tagged");
      assertThat(result.stdout() + result.stderr()).doesNotContain(credential);
    }
  }

  /** The coexistence app module's runtime classpath, one entry per jar. */
  static List<String> appClasspath() throws IOException {
    Path file = Path.of(System.getProperty("alter.coexistence.classpath"));
    return List.of(Files.readString(file).trim().split(File.pathSeparator));
  }
}
