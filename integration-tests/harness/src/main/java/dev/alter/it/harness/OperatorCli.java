package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator CLI ({@code alter-cli.jar}) run as an operator would, against a running
 * resolver service: {@code --json} output, credentials on stdin, the admin key from a file.
 */
public final class OperatorCli {
  private final Path jar;
  private final String serviceUrl;
  private final Path adminKeyFile;

  public OperatorCli(Path jar, String serviceUrl, Path adminKeyFile) {
    this.jar = jar;
    this.serviceUrl = serviceUrl;
    this.adminKeyFile = adminKeyFile;
  }

  /** For a service started by the harness (its admin key written to a file in {@code dir}). */
  public static OperatorCli against(ResolverServiceProcess service, Path dir) {
    Path jar =
        Artifacts.cliJar()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the CLI jar is missing (system property alter.cli.jar); build it first: "
                            + "mvn -B -q -pl resolver-service/cli -am package -DskipTests"));
    try {
      Files.createDirectories(dir);
      Path keyFile = dir.resolve("cli-admin.key");
      Files.writeString(keyFile, service.adminKey(), StandardCharsets.UTF_8);
      return new OperatorCli(jar, service.baseUrl(), keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome of one CLI invocation. */
  public static final class Outcome {
    public final int exitCode;
    public final String stdout;
    public final String stderr;

    Outcome(int exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    /** The {@code --json} answer; fails with the output if the command did not succeed. */
    public JsonNode json() {
      if (exitCode != 0) {
        throw new AssertionError(
            "alter exited with " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr);
      }
      return Json.parse(stdout.trim());
    }
  }

  /** Runs {@code alter --json <arguments>} with {@code stdin} (may be null) as standard input. */
  public Outcome run(String stdin, String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                JavaRuntime.JDK_17.javaExecutable().toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-jar",
                jar.toString(),
                "--json"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("ALTER_"));
    env.put("ALTER_URL", serviceUrl);
    env.put("ALTER_ADMIN_KEY_FILE", adminKeyFile.toString());
    try {
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      StreamCollector out = new StreamCollector(process.getInputStream(), "cli-stdout");
      StreamCollector err = new StreamCollector(process.getErrorStream(), "cli-stderr");
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("alter " + String.join(" ", arguments) + " did not finish");
      }
      return new Outcome(
          process.exitValue(), out.text(Duration.ofSeconds(5)), err.text(Duration.ofSeconds(5)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
