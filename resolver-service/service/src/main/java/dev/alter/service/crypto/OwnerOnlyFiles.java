package dev.alter.service.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes secret material (keys) to files only the owner can read, created new, never replaced. */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  public static void write(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    if (posix) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    Files.writeString(
        file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
