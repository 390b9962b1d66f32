package dev.alter.agent.installer;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** Tells one build of the agent jar from another, for the weave cache's keys. */
final class AgentBuild {
  private AgentBuild() {}

  /**
   * The SHA-256 of every entry's name, size and CRC-32 in the jar {@code type} was loaded from
   * (read from the jar's directory, nothing is inflated), so a rebuild with any changed class,
   * advice or resource keys a fresh set of entries even when the version string stays the same.
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
      MessageDigest digest = WeaveCache.sha256();
      try (JarFile jar = new JarFile(new File(location.toURI()), false)) {
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          JarEntry entry = entries.nextElement();
          digest.update(
              (entry.getName() + '\0' + entry.getSize() + '\0' + entry.getCrc() + '\n')
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      return WeaveCache.hex(digest.digest());
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
