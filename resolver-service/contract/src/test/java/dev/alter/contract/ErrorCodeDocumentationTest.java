package dev.alter.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md is the operator's list of error codes: every {@link ErrorCode} has its row there,
 * with the HTTP status the service answers it with, so a new code cannot ship undocumented.
 */
class ErrorCodeDocumentationTest {
  /** The repository's docs, from this module's directory (where Maven runs its tests). */
  private static final Path ERRORS_DOC = Path.of("../../docs/errors.md");

  @Test
  void everyCodeHasItsRowWithItsStatus() throws IOException {
    String doc = Files.readString(ERRORS_DOC);
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(doc)
          .as("docs/errors.md row of %s", code.code())
          .contains("| `" + code.code() + "` | " + code.httpStatus() + " |");
    }
  }
}
