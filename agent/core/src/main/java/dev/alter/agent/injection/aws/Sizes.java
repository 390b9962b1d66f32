package dev.alter.agent.injection.aws;

/**
 * Byte counts as people read them in error messages: {@code 9 MiB}, {@code 512 KiB}, {@code 1234
 * bytes}.
 */
final class Sizes {
  private static final long KIB = 1024;
  private static final long MIB = KIB * 1024;
  private static final long GIB = MIB * 1024;

  private Sizes() {}

  static String describe(long bytes) {
    if (bytes >= GIB && bytes % GIB == 0) {
      return bytes / GIB + " GiB";
    }
    if (bytes >= MIB && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes >= KIB && bytes % KIB == 0) {
      return bytes / KIB + " KiB";
    }
    if (bytes >= MIB) {
      return String.format(
          java.util.Locale.ROOT, "%.1f MiB (%d bytes)", bytes / (double) MIB, bytes);
    }
    return bytes + (bytes == 1 ? " byte" : " bytes");
  }
}
