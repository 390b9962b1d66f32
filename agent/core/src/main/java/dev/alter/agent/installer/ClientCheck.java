package dev.alter.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * {@code java -jar alter-agent.jar check <class path or jar>…}: which HTTP clients an application's
 * class path holds, their versions, and whether the agent covers each, naming the methods it hooks
 * (JDK clients are checked in the JDK running the command). The same hook sets and method matchers
 * as at run time decide, read from class files without loading them; a weave failure that only the
 * JVM can reveal is still caught at run time by the entry-point check. Exit status 0 when every
 * client found is covered, 1 when one is not, 2 on bad usage.
 */
public final class ClientCheck {
  private ClientCheck() {}

  public static int run(String[] args, PrintStream out) throws IOException {
    if (args.length == 0) {
      out.println("usage: java -jar alter-agent.jar check <class path or jar>...");
      return 2;
    }
    List<File> entries = new ArrayList<>();
    for (String arg : args) {
      for (String part : arg.split(File.pathSeparator)) {
        if (part.isEmpty()) {
          continue;
        }
        File file = new File(part);
        if (!file.exists()) {
          out.println("error: " + part + " does not exist");
          return 2;
        }
        entries.add(file);
      }
    }
    List<ClassFileLocator> locators = new ArrayList<>();
    for (File entry : entries) {
      locators.add(
          entry.isDirectory()
              ? new ClassFileLocator.ForFolder(entry)
              : ClassFileLocator.ForJarFile.of(entry));
    }
    // the JDK's own clients: class files are readable through the platform loader
    locators.add(ClassFileLocator.ForClassLoader.of(ClassLoader.getPlatformClassLoader()));
    ClassFileLocator locator = new ClassFileLocator.Compound(locators);
    TypePool pool = TypePool.Default.of(locator);

    boolean allCovered = true;
    int found = 0;
    for (InstrumentationModule module : InstrumentationModules.discover()) {
      for (HookSet set : module.hookSets()) {
        String report = check(module, set, pool, entries);
        if (report == null) {
          continue;
        }
        found++;
        out.println(report);
        allCovered &= report.contains(": covered");
      }
    }
    if (found == 0) {
      out.println("no HTTP client the agent knows was found");
    }
    return allCovered ? 0 : 1;
  }

  /** One line for the set, or null when none of its classes is on the class path. */
  private static String check(
      InstrumentationModule module, HookSet set, TypePool pool, List<File> entries) {
    String firstProblem = null;
    String where = null;
    for (HookSet.Variant variant : set.variants()) {
      String marker = variant.required().get(0);
      if (!pool.describe(marker).isResolved()) {
        continue;
      }
      String origin = origin(marker, entries);
      if (where == null) {
        where = origin;
      }
      List<String> points = new ArrayList<>();
      String problem = null;
      for (String name : variant.required()) {
        problem = hookPoints(module, name, pool, points, true);
        if (problem != null) {
          break;
        }
      }
      if (problem == null) {
        for (String name : variant.ifPresent()) {
          problem = hookPoints(module, name, pool, points, false);
          if (problem != null) {
            break;
          }
        }
      }
      if (problem == null) {
        return set.client()
            + " "
            + origin
            + ": covered ("
            + variant.releases()
            + "), hooked at "
            + String.join(", ", points)
            + "; tagged requests checked at "
            + set.entryPoints();
      }
      if (firstProblem == null) {
        firstProblem = problem;
      }
    }
    return where == null
        ? null
        : set.client()
            + " "
            + where
            + ": NOT covered ("
            + firstProblem
            + "); tagged requests fail with client_not_supported. Supported: "
            + set.supported();
  }

  /** Adds the hooked methods of {@code name} to {@code points}; returns a problem or null. */
  private static String hookPoints(
      InstrumentationModule module,
      String name,
      TypePool pool,
      List<String> points,
      boolean required) {
    TypePool.Resolution resolution = pool.describe(name);
    if (!resolution.isResolved()) {
      return required ? name + " is absent" : null;
    }
    TypeDescription type = resolution.resolve();
    for (TypeInstrumentation instrumentation : module.typeInstrumentations()) {
      if (instrumentation.hookedMethods() == null
          || instrumentation.typeNames() == null
          || !instrumentation.typeNames().contains(name)) {
        continue;
      }
      List<MethodDescription> methods = new ArrayList<>();
      for (MethodDescription method :
          type.getDeclaredMethods()
              .filter(not(isAbstract()).and(instrumentation.hookedMethods()))) {
        methods.add(method);
      }
      if (methods.isEmpty()) {
        return name + " has no method the hook fits";
      }
      for (MethodDescription method : methods) {
        points.add(name + "." + method.getName() + method.getDescriptor());
      }
    }
    return null;
  }

  /** The jar (and its version) or folder holding {@code className}, or "(JDK …)". */
  private static String origin(String className, List<File> entries) {
    String path = className.replace('.', '/') + ".class";
    for (File entry : entries) {
      if (entry.isDirectory()) {
        if (new File(entry, path).isFile()) {
          return "in " + entry;
        }
        continue;
      }
      try (JarFile jar = new JarFile(entry, false)) {
        if (jar.getEntry(path) != null) {
          String version = null;
          if (jar.getManifest() != null) {
            Attributes main = jar.getManifest().getMainAttributes();
            version = main.getValue("Implementation-Version");
            if (version == null) {
              version = main.getValue("Bundle-Version");
            }
          }
          return (version == null ? "" : version + " ") + "in " + entry.getName();
        }
      } catch (IOException e) {
        // not a jar: skip
      }
    }
    return "(JDK " + Runtime.version() + ")";
  }
}
