package dev.alter.agent.installer;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.zip.CRC32;

/** Tells one build of the agent jar from another, for the weave cache's keys. */
final class AgentBuild {
  private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  private static final int END_RECORD_LENGTH = 22;
  private static final int MAX_COMMENT = 0xffff;

  private AgentBuild() {}

  /**
   * The length and CRC-32 of the central directory of the jar {@code type} was loaded from. That
   * directory lists every entry's name, size and CRC-32 of its content, so a rebuild with any
   * changed class, advice or resource reads differently even when the version string stays the
   * same. Read raw and checked with the JDK's native CRC-32: hashing the ~3,600 entries one by one
   * in Java took ~70 ms of CPU at start-up, a SHA-256 of the directory ~30 ms.
   *
   * @return the fingerprint, or null when {@code type} does not come from a jar (then no cache)
   */
  static String fingerprint(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null || !location.getPath().endsWith(".jar")) {
        return null;
      }
      return ofJar(new File(location.toURI()));
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  static String ofJar(File jar) throws IOException {
    try (FileChannel channel = FileChannel.open(jar.toPath(), StandardOpenOption.READ)) {
      long size = channel.size();
      int tailLength = (int) Math.min(size, END_RECORD_LENGTH + MAX_COMMENT);
      ByteBuffer tail = ByteBuffer.allocate(tailLength).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, tail, size - tailLength);
      for (int at = tailLength - END_RECORD_LENGTH; at >= 0; at--) {
        if (tail.getInt(at) == END_OF_CENTRAL_DIRECTORY) {
          long directorySize = tail.getInt(at + 12) & 0xffffffffL;
          long directoryOffset = tail.getInt(at + 16) & 0xffffffffL;
          if (directorySize > Integer.MAX_VALUE || directoryOffset + directorySize > size) {
            return null; // ZIP64 or damaged: no cache rather than a wrong key
          }
          ByteBuffer directory = ByteBuffer.allocate((int) directorySize);
          readFully(channel, directory, directoryOffset);
          CRC32 crc = new CRC32();
          crc.update(directory.array());
          return directorySize + "-" + Long.toHexString(crc.getValue());
        }
      }
      return null;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of the agent jar");
      }
    }
  }
}
