package dev.alter.cli.input;

import dev.alter.cli.CliFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads credential values from the only places the CLI accepts them: a file, piped stdin, or a
 * hidden interactive prompt. Never from an argument, so values stay out of shell history and {@code
 * ps}. Error messages name the source, never the value.
 */
public final class CredentialReader {
  /** Generous for any API key or token; stops a mistaken pipe of a large file early. */
  public static final int MAX_BYTES = 64 * 1024;

  private final InputStream stdin;
  private final Terminal terminal;
  private final Consumer<String> onRead;

  /**
   * @param onRead sees every value read (the CLI registers it for output redaction)
   */
  public CredentialReader(InputStream stdin, Terminal terminal, Consumer<String> onRead) {
    this.stdin = stdin;
    this.terminal = terminal;
    this.onRead = onRead;
  }

  /**
   * The primary credential: from {@code file} when given, else prompted for when stdin is a
   * terminal, else read from stdin. Trailing line breaks are stripped.
   */
  public String readCredential(Path file, String promptSubject) {
    String value = readPrimary(file, promptSubject);
    onRead.accept(value);
    return value;
  }

  private String readPrimary(Path file, String promptSubject) {
    if (file != null) {
      return fromFile(file, "--credential-file");
    }
    if (terminal.stdinIsTerminal()) {
      return prompt(promptSubject);
    }
    String value = stripTrailingLineBreaks(readLimited(stdin, "stdin"));
    if (value.isEmpty()) {
      throw CliFailure.invalidInput(
          "the credential read from stdin is empty",
          "pipe the credential on stdin (printf '%s' \"$KEY\" | alter …), use --credential-file FILE,"
              + " or run in a terminal to be prompted");
    }
    return value;
  }

  /** Extra credential parts, e.g. Datadog's {@code application_key}, each read from its file. */
  public Map<String, String> readParts(List<PartFile> parts) {
    Map<String, String> values = new LinkedHashMap<>();
    for (PartFile part : parts) {
      if (values.containsKey(part.name())) {
        throw CliFailure.invalidInput(
            "credential part '" + part.name() + "' is given more than once", null);
      }
      String value = fromFile(part.file(), "--part-file " + part.name());
      onRead.accept(value);
      values.put(part.name(), value);
    }
    return values;
  }

  private String prompt(String promptSubject) {
    if (!terminal.canPromptHidden()) {
      throw CliFailure.invalidInput(
          "stdin is a terminal but no console is available for a hidden prompt",
          "pipe the credential on stdin or use --credential-file FILE");
    }
    char[] typed = terminal.readHidden(promptSubject + " (input hidden): ");
    if (typed == null) {
      throw CliFailure.invalidInput("no credential was entered", null);
    }
    try {
      String value = stripTrailingLineBreaks(new String(typed));
      if (value.isEmpty()) {
        throw CliFailure.invalidInput("the credential entered is empty", null);
      }
      return value;
    } finally {
      Arrays.fill(typed, '\0');
    }
  }

  private static String fromFile(Path file, String option) {
    String value;
    try (InputStream in = Files.newInputStream(file)) {
      value = stripTrailingLineBreaks(readLimited(in, option + " " + file));
    } catch (NoSuchFileException e) {
      throw CliFailure.invalidInput(option + ": file not found: " + file, null);
    } catch (IOException e) {
      throw CliFailure.invalidInput(
          option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", null);
    }
    if (value.isEmpty()) {
      throw CliFailure.invalidInput(option + ": file " + file + " is empty", null);
    }
    return value;
  }

  private static String readLimited(InputStream in, String source) {
    try {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw CliFailure.invalidInput(
            source + " holds more than " + MAX_BYTES + " bytes; that is not a credential", null);
      }
      String value = new String(bytes, StandardCharsets.UTF_8);
      Arrays.fill(bytes, (byte) 0);
      return value;
    } catch (IOException e) {
      throw CliFailure.invalidInput("cannot read " + source, null);
    }
  }

  /** Strips the line break(s) that {@code echo}, editors and heredocs append. */
  static String stripTrailingLineBreaks(String value) {
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    return value.substring(0, end);
  }

  /** A {@code NAME=FILE} pair from {@code --part-file}. */
  public record PartFile(String name, Path file) {
    /** Parses {@code NAME=FILE}; picocli reports the exception as a usage error. */
    public static PartFile parse(String spec) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new IllegalArgumentException("expected NAME=FILE, e.g. application_key=./dd-app-key");
      }
      return new PartFile(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
    }
  }
}
