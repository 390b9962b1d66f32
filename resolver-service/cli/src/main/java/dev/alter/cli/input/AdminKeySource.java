package dev.alter.cli.input;

import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import dev.alter.contract.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Finds the operator's admin key: {@code --admin-key-file}, then the file named by {@code
 * ALTER_ADMIN_KEY_FILE}, then the value of {@code ALTER_ADMIN_KEY}. Never a plain argument, so the
 * key stays out of shell history and the process list.
 */
public final class AdminKeySource {
  public static final String KEY_FILE_ENV = "ALTER_ADMIN_KEY_FILE";
  public static final String KEY_ENV = "ALTER_ADMIN_KEY";

  private static final String HINT =
      "pass --admin-key-file FILE, or set "
          + KEY_FILE_ENV
          + " or "
          + KEY_ENV
          + " (the service prints an admin key once on first start, or takes "
          + KEY_FILE_ENV
          + ")";

  private AdminKeySource() {}

  public static String resolve(Path keyFileOption, Function<String, String> env) {
    if (keyFileOption != null) {
      return fromFile(keyFileOption, "--admin-key-file");
    }
    String keyFile = env.apply(KEY_FILE_ENV);
    if (keyFile != null) {
      return fromFile(Path.of(keyFile), KEY_FILE_ENV);
    }
    String key = env.apply(KEY_ENV);
    if (key != null) {
      return key.strip();
    }
    throw new CliFailure(
        ErrorCode.UNAUTHORIZED.code(), ExitCodes.AUTH, "no admin key configured", HINT);
  }

  private static String fromFile(Path file, String source) {
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new CliFailure(
          ErrorCode.UNAUTHORIZED.code(),
          ExitCodes.AUTH,
          source + ": admin key file not found: " + file,
          HINT);
    } catch (IOException e) {
      throw new CliFailure(
          ErrorCode.UNAUTHORIZED.code(),
          ExitCodes.AUTH,
          source
              + ": cannot read admin key file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          HINT);
    }
    if (key.isEmpty()) {
      throw new CliFailure(
          ErrorCode.UNAUTHORIZED.code(),
          ExitCodes.AUTH,
          source + ": admin key file " + file + " is empty",
          HINT);
    }
    return key;
  }
}
