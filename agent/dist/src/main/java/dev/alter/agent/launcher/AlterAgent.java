package dev.alter.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * {@code Premain-Class} and {@code Agent-Class} of {@code alter-agent.jar}. Deliberately tiny:
 * it has the bridge ({@code dev.alter.agent.bootstrap.*}, at the jar's root) defined in the boot
 * class loader, so advice inlined into any class loader's classes can call it, and starts the rest
 * of the agent in an {@link AgentClassLoader} that no application class loader can reach.
 */
public final class AlterAgent {
  private static boolean started;

  private AlterAgent() {}

  public static void premain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst);
  }

  public static void agentmain(String agentArgs, Instrumentation inst) {
    start(agentArgs, inst);
  }

  /**
   * The jar this class came from, read from the class's own resource URL (which works whichever
   * loader defined it).
   */
  private static File agentJarFile() throws java.net.URISyntaxException {
    String url = String.valueOf(AlterAgent.class.getResource("AlterAgent.class"));
    int bang = url.indexOf("!/");
    if (!url.startsWith("jar:") || bang < 0) {
      throw new IllegalStateException("the Alter agent must run from alter-agent.jar, not from " + url);
    }
    return new File(new java.net.URI(url.substring(4, bang)));
  }

  private static synchronized void start(String agentArgs, Instrumentation inst) {
    if (started) {
      return;
    }
    started = true;
    try {
      File jar = agentJarFile();
      JarFile agentJar = new JarFile(jar, false);
      String version = agentJar.getManifest().getMainAttributes().getValue("Implementation-Version");
      ClassLoader agentLoader = new AgentClassLoader(new JarFile(jar, false), ClassLoader.getPlatformClassLoader());
      // The bridge must be in the boot loader before any agent class that names it is linked.
      Class<?> definer = agentLoader.loadClass("dev.alter.agent.installer.BootstrapBridgeDefiner");
      boolean defined = (Boolean) definer.getMethod("defineInBootLoader", Instrumentation.class, JarFile.class)
          .invoke(null, inst, agentJar);
      if (!defined) {
        // Works on every JVM, but with class data sharing on HotSpot then prints a one-line warning.
        inst.appendToBootstrapClassLoaderSearch(agentJar);
      }
      Class<?> startup = agentLoader.loadClass("dev.alter.agent.installer.AgentStartup");
      startup.getMethod("start", String.class, Instrumentation.class, String.class)
          .invoke(null, agentArgs, inst, version);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
          ? t.getCause() : t;
      System.err.println("[alter-agent] SEVERE the Alter agent could not start (" + cause
          + "); requests tagged with alter-grant will fail");
    }
  }
}
