package dev.alter.agent.installer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the bridge classes ({@code dev.alter.agent.bootstrap.*}) directly in the boot class
 * loader. Appending a jar to the bootstrap search path would do the same, but then HotSpot turns
 * off class-data sharing for application classes and prints "Sharing is only supported for boot
 * loader classes…" on the application's stdout, on every start.
 *
 * <p>Runs inside the agent's isolated class loader: {@code jdk.internal.misc} is exported to that
 * loader's unnamed module only, never to the application's class path.
 */
public final class BootstrapBridgeDefiner {
  private static final String BRIDGE_PACKAGE_PATH = "dev/alter/agent/bootstrap/";

  /** Written by the agent/dist build: the jar paths of the bridge classes, one per line. */
  static final String INDEX = "META-INF/alter-bridge-classes";

  private BootstrapBridgeDefiner() {}

  /**
   * @return true when every bridge class is now defined in the boot loader; false when this JVM
   *     does not allow it (the caller then falls back to appending the jar)
   */
  public static boolean defineInBootLoader(Instrumentation inst, JarFile agentJar) {
    try {
      Map<String, byte[]> classes = bridgeClasses(agentJar);
      if (classes.isEmpty()) {
        return false;
      }
      Module javaBase = Object.class.getModule();
      inst.redefineModule(
          javaBase,
          Collections.emptySet(),
          Collections.singletonMap(
              "jdk.internal.misc", Collections.singleton(BootstrapBridgeDefiner.class.getModule())),
          Collections.emptyMap(),
          Collections.emptySet(),
          Collections.emptyMap());
      Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
      Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
      Method defineClass =
          unsafeClass.getMethod(
              "defineClass",
              String.class,
              byte[].class,
              int.class,
              int.class,
              ClassLoader.class,
              ProtectionDomain.class);
      defineAll(classes, unsafe, defineClass);
      return true;
    } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * Defines in rounds, so a class whose bridge supertype is not yet defined is retried after it.
   */
  private static void defineAll(Map<String, byte[]> classes, Object unsafe, Method defineClass)
      throws ReflectiveOperationException {
    List<String> pending = new ArrayList<>(classes.keySet());
    while (!pending.isEmpty()) {
      List<String> retry = new ArrayList<>();
      Throwable lastFailure = null;
      for (String name : pending) {
        byte[] bytes = classes.get(name);
        try {
          defineClass.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof NoClassDefFoundError) {
            retry.add(name);
            lastFailure = e.getCause();
          } else if (!(e.getCause() instanceof LinkageError && isAlreadyDefined(name))) {
            throw e;
          }
        }
      }
      if (retry.size() == pending.size()) {
        throw new IllegalStateException("bridge classes could not be defined", lastFailure);
      }
      pending = retry;
    }
  }

  private static boolean isAlreadyDefined(String name) {
    try {
      return Class.forName(name, false, null) != null;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Map<String, byte[]> bridgeClasses(JarFile jar) throws IOException {
    JarEntry index = jar.getJarEntry(INDEX);
    return index != null ? indexedClasses(jar, index) : scannedClasses(jar);
  }

  /** The classes the build listed in {@link #INDEX}, one jar path per line. */
  private static Map<String, byte[]> indexedClasses(JarFile jar, JarEntry index)
      throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    String list;
    try (InputStream in = jar.getInputStream(index)) {
      list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String line : list.split("\n")) {
      String path = line.trim();
      if (path.isEmpty()) {
        continue;
      }
      JarEntry entry = jar.getJarEntry(path);
      if (!path.startsWith(BRIDGE_PACKAGE_PATH) || !path.endsWith(".class") || entry == null) {
        throw new IOException(
            INDEX + " names " + path + ", which is not a bridge class in the agent jar");
      }
      try (InputStream in = jar.getInputStream(entry)) {
        classes.put(className(path), in.readAllBytes());
      }
    }
    return classes;
  }

  /** Without an index (a jar built by hand): every bridge entry, found by walking the jar. */
  private static Map<String, byte[]> scannedClasses(JarFile jar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    Enumeration<JarEntry> entries = jar.entries();
    while (entries.hasMoreElements()) {
      JarEntry entry = entries.nextElement();
      String path = entry.getName();
      if (path.startsWith(BRIDGE_PACKAGE_PATH) && path.endsWith(".class")) {
        try (InputStream in = jar.getInputStream(entry)) {
          classes.put(className(path), in.readAllBytes());
        }
      }
    }
    return classes;
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
