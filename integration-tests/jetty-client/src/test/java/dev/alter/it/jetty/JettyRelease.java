package dev.alter.it.jetty;

import dev.alter.it.harness.ClientJars;
import java.nio.file.Path;
import java.util.List;

/**
 * The Jetty HttpClient releases under test: their runtime jars, copied by this module's pom, and
 * the single-file child app written against each one's API.
 */
enum JettyRelease {
  /** Java 11 and later; the same client API and hooked types as 11. */
  JETTY_10("10.0.24", "ScriptedJetty11Client.java"),
  /** Java 11 and later; the client API in {@code org.eclipse.jetty.client.api}. */
  JETTY_11("11.0.26", "ScriptedJetty11Client.java"),
  /** Java 17 and later; the client API in {@code org.eclipse.jetty.client}. */
  JETTY_12("12.0.25", "ScriptedJetty12Client.java"),
  /** The newest Jetty 12 line, with the same client API and hooked types as 12.0. */
  JETTY_12_1("12.1.14", "ScriptedJetty12Client.java");

  final String version;
  private final String appSource;

  JettyRelease(String version, String appSource) {
    this.version = version;
    this.appSource = appSource;
  }

  List<Path> jars() {
    return ClientJars.in("alter.jetty.clients", "jetty-" + version);
  }

  /** The child app's source file, launched in source-file mode. */
  Path app() {
    return apps().resolve(appSource).toAbsolutePath();
  }

  /** The AWS signing app for this release's API, launched in source-file mode. */
  Path awsSigningApp() {
    return apps()
        .resolve(appSource.replace("ScriptedJetty", "AwsSigningJetty").replace("Client", "App"))
        .toAbsolutePath();
  }

  private static Path apps() {
    return Path.of(System.getProperty("alter.jetty.apps", "src/test/apps"));
  }
}
