package dev.alter.it.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A second Java agent that runs before Alter's and loads the JDK HTTP client's hooked classes, as
 * another agent or an early framework could: Alter must still instrument them (it retransforms what
 * was loaded before it started).
 */
public final class EarlyLoadingAgent {
  static final String[] HOOKED_JDK_CLASSES = {
    "jdk.internal.net.http.HttpClientImpl", "jdk.internal.net.http.Http1Request",
    "jdk.internal.net.http.Http2Connection", "jdk.internal.net.http.Stream"
  };

  private EarlyLoadingAgent() {}

  public static void premain(String args, Instrumentation inst) throws ClassNotFoundException {
    for (String name : HOOKED_JDK_CLASSES) {
      Class.forName(name, false, ClassLoader.getPlatformClassLoader());
    }
  }

  /** Writes a jar holding only this class, with it as {@code Premain-Class}. */
  static Path jar(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest
        .getMainAttributes()
        .put(new Attributes.Name("Premain-Class"), EarlyLoadingAgent.class.getName());
    Path jar = dir.resolve("early-loading-agent.jar");
    String entry = EarlyLoadingAgent.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = EarlyLoadingAgent.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
