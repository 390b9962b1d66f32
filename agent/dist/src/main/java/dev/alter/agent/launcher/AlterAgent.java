package dev.alter.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * {@code Premain-Class} and {@code Agent-Class} of {@code alter-agent.jar}. Deliberately tiny: it
 * has the bridge ({@code dev.alter.agent.bootstrap.*}, at the jar's root) defined in the boot class
 * loader, so advice inlined into any class loader's classes can call it, and starts the rest of the
 * agent in an {@link AgentClassLoader} that no application class loader can reach.
 */
public final class AlterAgent {
  private static boolean started;

  private AlterAgent() {}

  public static void premain(String agentArgs, Instrumentation inst) {
    Throwable failure = start(agentArgs, inst);
    if (failure == null) {
      return;
    }
    if (StartFailurePolicy.continues(agentArgs)) {
      System.err.println(
          "[alter-agent] SEVERE the Alter agent could not start ("
              + failure
              + "); continuing "
              + "WITHOUT it because on_start_failure=continue: requests tagged with alter-grant may go out without "
              + "their credential");
      return;
    }
    // Fail closed: without its hooks the app would send tagged requests unauthenticated, with the
    // alter-grant header still on them. Stopping before main() runs is the only safe answer.
    System.err.println(
        "[alter-agent] SEVERE the Alter agent could not start ("
            + failure
            + "); stopping the JVM "
            + "so no request tagged with alter-grant goes out without its credential. Fix the agent jar, or set "
            + "on_start_failure=continue (agent argument), -Dalter.on.start.failure=continue or "
            + "ALTER_ON_START_FAILURE=continue to run without it");
    System.exit(StartFailurePolicy.EXIT_STATUS);
  }

  /**
   * {@code java -jar alter-agent.jar check <class path or jar>…}: lists the HTTP clients found and
   * whether the agent covers each. The agent's classes load as at run time, in an {@link
   * AgentClassLoader}, here above the class path loader, which holds the bridge at the jar's root.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("check")) {
      System.err.println(
          "usage: java -jar alter-agent.jar check <class path or jar>...\n"
              + "  lists the HTTP clients found and whether the Alter agent covers each"
              + " (run the app with -javaagent:alter-agent.jar)");
      System.exit(2);
    }
    ClassLoader agentLoader =
        new AgentClassLoader(
            new JarFile(agentJarFile(), false), ClassLoader.getSystemClassLoader());
    Class<?> check = agentLoader.loadClass("dev.alter.agent.installer.ClientCheck");
    int status =
        (Integer)
            check
                .getMethod("run", String[].class, java.io.PrintStream.class)
                .invoke(null, java.util.Arrays.copyOfRange(args, 1, args.length), System.out);
    System.exit(status);
  }

  /**
   * Attached to a running app: its tagged requests went out unhooked until now anyway; never kill
   * it.
   */
  public static void agentmain(String agentArgs, Instrumentation inst) {
    Throwable failure = start(agentArgs, inst);
    if (failure != null) {
      System.err.println(
          "[alter-agent] SEVERE the Alter agent could not attach ("
              + failure
              + "); requests tagged with alter-grant are not given their credential");
    }
  }

  /**
   * The jar this class came from, read from the class's own resource URL (which works whichever
   * loader defined it).
   */
  private static File agentJarFile() throws java.net.URISyntaxException {
    String url = String.valueOf(AlterAgent.class.getResource("AlterAgent.class"));
    int bang = url.indexOf("!/");
    if (!url.startsWith("jar:") || bang < 0) {
      throw new IllegalStateException(
          "the Alter agent must run from alter-agent.jar, not from " + url);
    }
    return new File(new java.net.URI(url.substring(4, bang)));
  }

  /**
   * @return null when started (or already started), else what stopped it
   */
  private static synchronized Throwable start(String agentArgs, Instrumentation inst) {
    if (started) {
      return null;
    }
    started = true;
    try {
      File jar = agentJarFile();
      JarFile agentJar = new JarFile(jar, false);
      String version =
          agentJar.getManifest().getMainAttributes().getValue("Implementation-Version");
      ClassLoader agentLoader =
          new AgentClassLoader(new JarFile(jar, false), ClassLoader.getPlatformClassLoader());
      // The bridge must be in the boot loader before any agent class that names it is linked.
      Class<?> definer = agentLoader.loadClass("dev.alter.agent.installer.BootstrapBridgeDefiner");
      boolean defined =
          (Boolean)
              definer
                  .getMethod("defineInBootLoader", Instrumentation.class, JarFile.class)
                  .invoke(null, inst, agentJar);
      if (!defined) {
        // Works on every JVM, but with class data sharing on HotSpot then prints a one-line
        // warning.
        inst.appendToBootstrapClassLoaderSearch(agentJar);
      }
      Class<?> startup = agentLoader.loadClass("dev.alter.agent.installer.AgentStartup");
      startup
          .getMethod("start", String.class, Instrumentation.class, String.class)
          .invoke(null, agentArgs, inst, version);
      return null;
    } catch (Throwable t) {
      return t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
          ? t.getCause()
          : t;
    }
  }
}
