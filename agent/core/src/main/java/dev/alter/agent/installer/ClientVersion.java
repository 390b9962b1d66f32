package dev.alter.agent.installer;

import java.net.URL;
import java.security.CodeSource;

/** A client's version as users know it, for messages: the jar's, or the JDK's for JDK clients. */
final class ClientVersion {
  private ClientVersion() {}

  static String of(Class<?> clientType) {
    ClassLoader loader = clientType.getClassLoader();
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return "JDK " + Runtime.version();
    }
    Package pkg = clientType.getPackage();
    String version = pkg == null ? null : pkg.getImplementationVersion();
    if (version != null && !version.isEmpty()) {
      return version;
    }
    try {
      CodeSource source = clientType.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location != null) {
        String path = location.getPath();
        return "from " + path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
      }
    } catch (SecurityException e) {
      // fall through: the version is only for the message
    }
    return "of unknown version";
  }
}
