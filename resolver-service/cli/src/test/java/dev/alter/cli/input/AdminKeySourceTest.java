package dev.alter.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminKeySourceTest {
  @TempDir Path dir;

  @Test
  void optionFileWinsOverEnvironment() throws IOException {
    Path option = Files.writeString(dir.resolve("option"), "alter_key_admin_option\n");
    Path envFile = Files.writeString(dir.resolve("env"), "alter_key_admin_envfile");
    Map<String, String> env =
        Map.of(
            "ALTER_ADMIN_KEY_FILE", envFile.toString(), "ALTER_ADMIN_KEY", "alter_key_admin_value");

    assertThat(AdminKeySource.resolve(option, env::get)).isEqualTo("alter_key_admin_option");
    assertThat(AdminKeySource.resolve(null, env::get)).isEqualTo("alter_key_admin_envfile");
    assertThat(
            AdminKeySource.resolve(
                null, Map.of("ALTER_ADMIN_KEY", " alter_key_admin_value\n")::get))
        .isEqualTo("alter_key_admin_value");
  }

  @Test
  void noKeyAnywhereIsAnAuthFailureNamingTheThreeSources() {
    assertThatThrownBy(() -> AdminKeySource.resolve(null, Map.<String, String>of()::get))
        .isInstanceOfSatisfying(
            CliFailure.class,
            f -> {
              assertThat(f.exitCode()).isEqualTo(ExitCodes.AUTH);
              assertThat(f.code()).isEqualTo("unauthorized");
              assertThat(f.hint())
                  .contains("--admin-key-file", "ALTER_ADMIN_KEY_FILE", "ALTER_ADMIN_KEY");
            });
  }

  @Test
  void missingOrEmptyKeyFileIsNamedButItsContentNeverShown() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), "  \n");

    assertThatThrownBy(() -> AdminKeySource.resolve(dir.resolve("absent"), k -> null))
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> AdminKeySource.resolve(empty, k -> null))
        .hasMessageContaining("is empty");
  }
}
