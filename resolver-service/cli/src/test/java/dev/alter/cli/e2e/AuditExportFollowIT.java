package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.http.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alter audit export --follow --output FILE} as a collector process: events are written
 * while it reads, it is killed (SIGKILL) twice and started again on the same file; the file ends up
 * with every event exactly once, in the service's export order.
 */
class AuditExportFollowIT {
  private static final Path REPO = Path.of("").toAbsolutePath().resolve("../..").normalize();
  private static final Path LAUNCHER = REPO.resolve("bin/alter");

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  private static Process collector(Path output) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            LAUNCHER.toString(),
            "audit",
            "export",
            "--follow",
            "--limit",
            "7",
            "--output",
            output.toString());
    builder.environment().keySet().removeIf(name -> name.startsWith("ALTER_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("ALTER_URL", resolver.url());
    builder.environment().put("ALTER_ADMIN_KEY_FILE", resolver.adminKeyFile.toString());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(dir.resolve("collector.err").toFile());
    return builder.start();
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void aKilledCollectorResumedOnItsFileHasEveryEventOnceInOrder() throws Exception {
    Path output = dir.resolve("audit.ndjson");
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> writerFailures = new ArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; writing.get() && i < 400; i++) {
                  resolver.json("apps", "create", "follow-" + i);
                  Thread.sleep(15);
                }
              } catch (Throwable e) {
                writerFailures.add(e);
              }
            });
    writer.start();
    for (int round = 0; round < 2; round++) {
      Process p = collector(output);
      long before = lines(output).size();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (lines(output).size() < before + 10 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      p.destroyForcibly().waitFor();
    }
    Process last = collector(output);
    try {
      Thread.sleep(1500);
      writing.set(false);
      writer.join();
      assertThat(writerFailures).isEmpty();
      Result all = resolver.alter().run("audit", "export");
      assertThat(all.exitCode()).as(all.stderr()).isZero();
      List<String> expected = new ArrayList<>();
      for (String line : all.stdout().split("\n")) {
        if (!line.isBlank()) {
          expected.add(Json.MAPPER.readTree(line).path("event_id").asText());
        }
      }
      assertThat(expected.size()).isGreaterThan(20);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (lines(output).size() < expected.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<String> collected = new ArrayList<>();
      for (String line : lines(output)) {
        JsonNode event = Json.MAPPER.readTree(line);
        collected.add(event.path("event_id").asText());
      }
      assertThat(collected).containsExactlyElementsOf(expected);
    } finally {
      last.destroyForcibly().waitFor();
    }
  }
}
