package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.Artifacts;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RunningChild;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that cannot start must not leave the app sending tagged requests without their
 * credential: by default the JVM stops before {@code main}; {@code on_start_failure=continue} runs
 * the app without the agent and says so. The failure is a real one: the agent jar with its start-up
 * class missing, as a broken or half-copied jar would be.
 */
class AgentStartFailureTest {
  private static final String MISSING_ENTRY =
      "inst/dev/alter/agent/installer/AgentStartup.classdata";

  @TempDir Path dir;

  @Test
  void byDefaultTheJvmStopsBeforeTheAppRunsAndNothingIsSent() throws IOException {
    Path broken = jarWithout(MISSING_ENTRY);
    try (StandInProvider provider = new StandInProvider("start-failure-exit")) {
      ChildResult result =
          provider
              .app(JavaRuntime.JDK_17, "HTTP_1_1")
              .withAgent(broken, null)
              .resolver("http://127.0.0.1:1", "alter_key_app_unused")
              .timeout(Duration.ofSeconds(60))
              .run();

      assertThat(result.exitCode()).as(result.describe()).isEqualTo(78);
      assertThat(result.stderr())
          .contains(
              "[alter-agent] SEVERE the Alter agent could not start",
              "stopping the JVM",
              "on_start_failure=continue");
      assertThat(result.stdout())
          .as("main() never ran: no ready report")
          .doesNotContain("\"ready\"");
      assertThat(provider.server.requests()).isEmpty();
    }
  }

  @Test
  void continueRunsTheAppWithoutTheAgentAndSaysSoOnce() throws IOException {
    Path broken = jarWithout(MISSING_ENTRY);
    try (StandInProvider provider = new StandInProvider("start-failure-continue")) {
      try (RunningChild child =
          provider
              .app(JavaRuntime.JDK_17, "HTTP_1_1")
              .withAgent(broken, "on_start_failure=continue")
              .resolver("http://127.0.0.1:1", "alter_key_app_unused")
              .start()) {
        JsonNode ready = child.nextReport(Duration.ofSeconds(30));
        assertThat(ready.path("ready").asBoolean()).isTrue();
        JsonNode untagged =
            child.ask("request " + ChildRequest.get(provider.origin() + "/plain").toLine());
        assertThat(untagged.path("status").asInt()).as("report %s", untagged).isEqualTo(200);
        child.close();
        assertThat(child.stderr())
            .contains("continuing WITHOUT it because on_start_failure=continue");
        assertThat(child.stderr().split("\\[alter-agent\\]", -1)).as("one agent line").hasSize(2);
      }
    }
  }

  /** A copy of the real agent jar, entry for entry (manifest first), minus one. */
  private Path jarWithout(String entryName) throws IOException {
    Path copy = dir.resolve("alter-agent-broken.jar");
    boolean removed = false;
    try (ZipFile original = new ZipFile(Artifacts.agentJar().toFile());
        OutputStream file = Files.newOutputStream(copy);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = original.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.getName().equals(entryName)) {
          removed = true;
          continue;
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream in = original.getInputStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    assertThat(removed).as("the agent jar has %s", entryName).isTrue();
    return copy;
  }
}
