package dev.alter.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's implementation (core, instrumentation modules and the shaded Byte Buddy,
 * Jackson and contract) from the {@code inst/} folder of the agent jar, where classes are stored as
 * {@code .classdata} so that no other class loader, not even the system class loader that has the
 * agent jar on its class path, can load them. Its parent is the platform class loader: it sees the
 * JDK (including {@code java.net.http}) and, through the bootstrap class path, the bridge.
 *
 * <p>It also serves {@code getResource("a/b/C.class")} for its own classes, which Byte Buddy uses
 * to read advice bytecode.
 */
final class AgentClassLoader extends ClassLoader {
  private static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final URL jarUrl;
  private final ProtectionDomain protectionDomain;

  AgentClassLoader(JarFile jar, ClassLoader parent) throws MalformedURLException {
    super("alter-agent", parent);
    this.jar = jar;
    this.jarUrl = new java.io.File(jar.getName()).toURI().toURL();
    this.protectionDomain =
        new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      String pkg = name.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException alreadyDefinedConcurrently) {
          // another thread defined it first
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  @Override
  protected URL findResource(String name) {
    String entryName = entryName(name);
    if (jar.getJarEntry(entryName) == null) {
      return null;
    }
    try {
      return new URL("jar:" + jarUrl + "!/" + entryName);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(Collections.singletonList(url));
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    JarEntry entry = jar.getJarEntry(entryName(name));
    if (entry != null) {
      try {
        return jar.getInputStream(entry);
      } catch (IOException e) {
        return null;
      }
    }
    return super.getResourceAsStream(name);
  }

  private static String entryName(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    return PREFIX
        + (name.endsWith(".class") ? name.substring(0, name.length() - 6) + ".classdata" : name);
  }
}
