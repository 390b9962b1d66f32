package dev.alter.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.cli.CliFailure;
import dev.alter.cli.CliRun.FakeTerminal;
import dev.alter.cli.ExitCodes;
import dev.alter.cli.input.CredentialReader.PartFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialReaderTest {
  @TempDir Path dir;

  private final List<String> registered = new ArrayList<>();

  private CredentialReader reader(String stdin, Terminal terminal) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return new CredentialReader(in, terminal, registered::add);
  }

  @Test
  void pipedCredentialLosesOnlyItsTrailingNewline() {
    String value =
        reader("  dd-key with spaces \n", FakeTerminal.notATerminal())
            .readCredential(null, "Credential");

    assertThat(value).isEqualTo("  dd-key with spaces ");
    assertThat(registered).containsExactly("  dd-key with spaces ");
  }

  @Test
  void windowsLineEndingIsStrippedToo() {
    assertThat(reader("abc123\r\n", FakeTerminal.notATerminal()).readCredential(null, "x"))
        .isEqualTo("abc123");
  }

  @Test
  void emptyPipedCredentialIsRejectedWithAHint() {
    assertThatThrownBy(() -> reader("\n", FakeTerminal.notATerminal()).readCredential(null, "x"))
        .isInstanceOfSatisfying(
            CliFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo("validation_failed");
              assertThat(f.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
              assertThat(f.detail()).contains("empty");
              assertThat(f.hint()).contains("--credential-file");
            });
  }

  @Test
  void credentialFileWinsOverStdin() throws IOException {
    Path file = Files.writeString(dir.resolve("key"), "from-file-value\n");

    String value = reader("from-stdin", FakeTerminal.notATerminal()).readCredential(file, "x");

    assertThat(value).isEqualTo("from-file-value");
  }

  @Test
  void missingAndEmptyCredentialFilesAreRejectedByName() throws IOException {
    Path missing = dir.resolve("nope");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    CredentialReader reader = reader("", FakeTerminal.notATerminal());

    assertThatThrownBy(() -> reader.readCredential(missing, "x"))
        .hasMessageContaining("file not found")
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> reader.readCredential(empty, "x")).hasMessageContaining("is empty");
  }

  @Test
  void aTerminalIsPromptedWithoutEchoInsteadOfReadingStdin() {
    FakeTerminal terminal = FakeTerminal.typing("typed-secret");

    String value = reader("ignored", terminal).readCredential(null, "Credential for datadog");

    assertThat(value).isEqualTo("typed-secret");
    assertThat(terminal.lastPrompt).startsWith("Credential for datadog").contains("hidden");
  }

  @Test
  void aTerminalWithoutConsoleRefusesToReadWithEcho() {
    assertThatThrownBy(() -> reader("x", FakeTerminal.withoutConsole()).readCredential(null, "x"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("no console");
  }

  @Test
  void oversizedInputIsNotTakenForACredential() {
    String huge = "a".repeat(CredentialReader.MAX_BYTES + 1);

    assertThatThrownBy(() -> reader(huge, FakeTerminal.notATerminal()).readCredential(null, "x"))
        .isInstanceOf(CliFailure.class)
        .hasMessageContaining("more than " + CredentialReader.MAX_BYTES + " bytes")
        .hasMessageNotContaining("aaaaaa");
  }

  @Test
  void partsAreReadFromTheirFiles() throws IOException {
    Path appKey = Files.writeString(dir.resolve("app-key"), "dd-application-key\n");

    Map<String, String> parts =
        reader("", FakeTerminal.notATerminal())
            .readParts(List.of(PartFile.parse("application_key=" + appKey)));

    assertThat(parts).containsExactly(Map.entry("application_key", "dd-application-key"));
    assertThat(registered).containsExactly("dd-application-key");
  }

  @Test
  void partGivenTwiceIsRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("p"), "value1");
    PartFile part = PartFile.parse("application_key=" + file);

    assertThatThrownBy(() -> reader("", FakeTerminal.notATerminal()).readParts(List.of(part, part)))
        .hasMessageContaining("more than once");
  }

  @Test
  void partFileSpecNeedsNameAndFile() {
    assertThatThrownBy(() -> PartFile.parse("application_key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NAME=FILE");
    assertThatThrownBy(() -> PartFile.parse("=file")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PartFile.parse("name=")).isInstanceOf(IllegalArgumentException.class);
    assertThat(PartFile.parse("a=b=c")).isEqualTo(new PartFile("a", Path.of("b=c")));
  }
}
