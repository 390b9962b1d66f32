package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.CliRun;
import dev.alter.cli.http.Json;
import dev.alter.service.ResolverService;
import dev.alter.service.RunningService;
import dev.alter.service.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real resolver service in the test JVM (embedded H2 in a temporary directory, ephemeral port),
 * with its generated admin key in a file the CLI is pointed at through ALTER_ADMIN_KEY_FILE.
 * Registered with {@code @RegisterExtension} it runs for one test class: started before the class's
 * {@code @BeforeAll} methods, in a directory of its own, and stopped after its tests.
 */
final class EmbeddedResolver implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final Consumer<ServiceConfig.Builder> customize;
  RunningService service;
  Path adminKeyFile;
  private Path dir;
  private boolean ownsDir;

  private EmbeddedResolver(Consumer<ServiceConfig.Builder> customize) {
    this.customize = customize;
  }

  /** One service for the test class that registers it. */
  static EmbeddedResolver perTestClass() {
    return new EmbeddedResolver(builder -> {});
  }

  /** A service started now in {@code dir}, configured further by {@code customize}. */
  static EmbeddedResolver start(Path dir, Consumer<ServiceConfig.Builder> customize) {
    EmbeddedResolver resolver = new EmbeddedResolver(customize);
    resolver.startIn(dir);
    return resolver;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    ownsDir = true;
    startIn(Files.createTempDirectory("alter-cli-e2e-"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(file);
        }
      }
    }
  }

  private void startIn(Path directory) {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    dir = directory;
    adminKeyFile = dir.resolve("admin.key");
    ServiceConfig.Builder config =
        ServiceConfig.builder()
            .dataDir(dir.resolve("data"))
            .port(0)
            .masterKey(Base64.getEncoder().encodeToString(masterKey))
            .adminKeyFile(adminKeyFile);
    customize.accept(config);
    service = ResolverService.start(config.build());
    assertThat(adminKeyFile).exists();
  }

  String url() {
    return service.baseUrl();
  }

  /** The CLI pointed at this service the way an operator configures it: by environment. */
  CliRun alter() {
    return CliRun.cli()
        .env("ALTER_URL", url())
        .env("ALTER_ADMIN_KEY_FILE", adminKeyFile.toString());
  }

  /** Runs a command with --json, asserts it succeeded, and returns the parsed answer. */
  JsonNode json(String... args) {
    return json(alter(), args);
  }

  JsonNode json(CliRun cli, String... args) {
    String[] withJson = new String[args.length + 1];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "--json";
    CliRun.Result result = cli.run(withJson);
    assertThat(result.exitCode()).as("%s", result).isZero();
    try {
      return Json.MAPPER.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + result, e);
    }
  }

  /** A file the test writes a value into, for --credential-file and --part-file. */
  Path file(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (service != null) {
      service.close();
    }
  }
}
