package dev.alter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code alter --version}: the Maven project version, filtered into a resource at build time. */
public final class CliVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    Properties props = new Properties();
    try (InputStream in = CliVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return new String[] {"alter " + props.getProperty("version", "unknown")};
  }
}
