package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.ExitCodes;
import dev.alter.cli.http.Json;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/alter} as an operator runs it: a separate process on the shaded jar, the credential on
 * a real pipe, the exit code seen by the shell. Runs after {@code package}.
 */
class LauncherIT {
  private static final Path REPO = Path.of("").toAbsolutePath().resolve("../..").normalize();
  private static final Path LAUNCHER = REPO.resolve("bin/alter");

  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();

  @BeforeAll
  static void launcherJarIsBuilt() {
    assertThat(REPO.resolve("resolver-service/cli/target/alter-cli.jar")).exists();
  }

  record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void versionComesFromTheShadedJar() throws Exception {
    Run run = alter(Map.of(), null, "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).matches("alter \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\s*");
  }

  @Test
  void credentialPipedIntoTheProcessIsStoredExactly() throws Exception {
    String credential = "dd-piped-" + UUID.randomUUID();
    JsonNode app =
        Json.MAPPER.readTree(alter(operator(), null, "apps", "create", "piped", "--json").stdout());

    Run stored =
        alter(
            operator(),
            credential + "\n",
            "secrets",
            "store",
            "--app",
            app.path("app_id").asText(),
            "--provider",
            "datadog",
            "--label",
            "piped",
            "--json");
    String secretId = Json.MAPPER.readTree(stored.stdout()).path("secret_id").asText();
    String grantId =
        Json.MAPPER
            .readTree(
                alter(
                        operator(),
                        null,
                        "grants",
                        "create",
                        "--secret",
                        secretId,
                        "--label",
                        "piped",
                        "--system",
                        "--json")
                    .stdout())
            .path("grant_id")
            .asText();

    assertThat(stored.exitCode()).as(stored.stderr()).isZero();
    assertThat(stored.stdout() + stored.stderr()).doesNotContain(credential);
    assertThat(
            new ResolvingApp(resolver.url(), app.path("api_key").path("key").asText())
                .resolve(grantId, "https://api.datadoghq.com/api/v1/validate")
                .payload()
                .primary())
        .isEqualTo(credential);
  }

  @Test
  void exitCodesReachTheShell() throws Exception {
    Run usage = alter(operator(), null, "secrets", "store");
    Run notFound = alter(operator(), null, "grants", "show", "grt_nope");
    Run noKey = alter(Map.of("ALTER_URL", resolver.url()), null, "apps", "list");
    Run emptyStdin = alter(operator(), "", "secrets", "rotate", "ms_any");
    Run down =
        alter(
            Map.of(
                "ALTER_URL",
                "http://127.0.0.1:9",
                "ALTER_ADMIN_KEY_FILE",
                resolver.adminKeyFile.toString()),
            null,
            "apps",
            "list");

    assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notFound.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(notFound.stderr()).startsWith("error: not_found: ");
    assertThat(noKey.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(emptyStdin.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(down.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    for (Run run : List.of(usage, notFound, noKey, emptyStdin, down)) {
      assertThat(run.stderr()).doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void launcherWithoutABuiltJarSaysHowToBuildIt() throws Exception {
    Path checkout = dir.resolve("unbuilt");
    Files.createDirectories(checkout.resolve("bin"));
    Path copy = Files.copy(LAUNCHER, checkout.resolve("bin/alter"));

    Run run = run(copy, Map.of(), null, "apps", "list");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("the CLI is not built", "mvn -B -q -pl resolver-service/cli");
  }

  private static Map<String, String> operator() {
    return Map.of(
        "ALTER_URL", resolver.url(), "ALTER_ADMIN_KEY_FILE", resolver.adminKeyFile.toString());
  }

  private static Run alter(Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    return run(LAUNCHER, env, stdin, args);
  }

  private static Run run(Path launcher, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("ALTER_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
    if (stdin != null) {
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("bin/alter finished").isTrue();
    return new Run(process.exitValue(), out.join(), err.join());
  }

  private static String read(Process process, boolean stderr) {
    try {
      return new String(
          (stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
