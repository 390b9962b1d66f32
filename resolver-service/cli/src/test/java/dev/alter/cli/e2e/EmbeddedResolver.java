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
import java.util.function.Consumer;

/**
 * A real resolver service in the test JVM (embedded H2 in a temporary directory, ephemeral port),
 * with its generated admin key in a file the CLI is pointed at through ALTER_ADMIN_KEY_FILE.
 */
final class EmbeddedResolver implements AutoCloseable {
  final RunningService service;
  final Path adminKeyFile;
  private final Path dir;

  private EmbeddedResolver(Path dir, RunningService service, Path adminKeyFile) {
    this.dir = dir;
    this.service = service;
    this.adminKeyFile = adminKeyFile;
  }

  static EmbeddedResolver start(Path dir) {
    return start(dir, builder -> { });
  }

  static EmbeddedResolver start(Path dir, Consumer<ServiceConfig.Builder> customize) {
    byte[] masterKey = new byte[32];
    new SecureRandom().nextBytes(masterKey);
    Path adminKeyFile = dir.resolve("admin.key");
    ServiceConfig.Builder config = ServiceConfig.builder()
        .dataDir(dir.resolve("data"))
        .port(0)
        .masterKey(Base64.getEncoder().encodeToString(masterKey))
        .adminKeyFile(adminKeyFile);
    customize.accept(config);
    RunningService service = ResolverService.start(config.build());
    assertThat(adminKeyFile).exists();
    return new EmbeddedResolver(dir, service, adminKeyFile);
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
    service.close();
  }
}
