package dev.alter.agent.installer;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which class names each instrumentation module hooks, written into the agent jar by its build
 * ({@link #main}) from the very modules it packages, so that start-up needs neither the modules'
 * classes nor Byte Buddy's matchers to know what to wait for. One line per module: its name, a tab,
 * then the comma-separated binary names, or {@code *} when a matcher of the module is not a fixed
 * list of names (the agent then starts Byte Buddy at once).
 */
public final class HookedTypesIndex {
  /** Where the agent class loader finds the index (under {@code inst/} in the jar). */
  static final String RESOURCE = "META-INF/alter-hooked-types";

  private static final String ANY = "*";

  /** Module name to hooked names; a null value means "any name". */
  private final Map<String, Set<String>> byModule;

  private HookedTypesIndex(Map<String, Set<String>> byModule) {
    this.byModule = byModule;
  }

  /**
   * Builds the index from every module on the class path (all services files, not only the first).
   */
  public static void main(String[] args) throws IOException {
    Path out = Paths.get(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    List<InstrumentationModule> modules =
        InstrumentationModules.all(Thread.currentThread().getContextClassLoader());
    if (modules.isEmpty()) {
      throw new IllegalStateException("no instrumentation module on the class path");
    }
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write(format(modules));
    }
  }

  static String format(List<InstrumentationModule> modules) {
    StringBuilder text = new StringBuilder();
    for (InstrumentationModule module : modules) {
      Set<String> names = new TreeSet<>();
      boolean any = false;
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        Set<String> typeNames = type.typeNames();
        if (typeNames == null) {
          any = true;
        } else {
          names.addAll(typeNames);
        }
      }
      text.append(module.name())
          .append('\t')
          .append(any ? ANY : String.join(",", names))
          .append('\n');
    }
    return text.toString();
  }

  /**
   * @return the packaged index, or null when the jar has none (then modules are asked directly)
   */
  static HookedTypesIndex read(ClassLoader agentLoader) {
    try (InputStream in = agentLoader.getResourceAsStream(RESOURCE)) {
      return in == null ? null : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HookedTypesIndex parse(String text) {
    Map<String, Set<String>> byModule = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.trim().isEmpty()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0) {
        throw new IllegalArgumentException(RESOURCE + ": malformed line " + line);
      }
      String module = line.substring(0, tab);
      String names = line.substring(tab + 1).trim();
      Set<String> set = null;
      if (!names.equals(ANY)) {
        set = new HashSet<>();
        for (String name : names.split(",")) {
          if (!name.isEmpty()) {
            set.add(name);
          }
        }
      }
      byModule.put(module, set);
    }
    return new HookedTypesIndex(byModule);
  }

  /** Names of every packaged module, enabled or not. */
  List<String> allModules() {
    return new ArrayList<>(byModule.keySet());
  }

  /**
   * Names of the modules not disabled with {@code -Dalter.instrumentation.<name>.enabled=false}.
   */
  List<String> enabledModules() {
    List<String> enabled = new ArrayList<>();
    for (String module : byModule.keySet()) {
      if (InstrumentationModules.isEnabled(module)) {
        enabled.add(module);
      }
    }
    return enabled;
  }

  /** Every name the enabled modules hook, or null when one of them may hook any name. */
  Set<String> hookedBy(List<String> modules) {
    Set<String> names = new HashSet<>();
    for (String module : modules) {
      Set<String> hooked = byModule.get(module);
      if (hooked == null) {
        return null;
      }
      names.addAll(hooked);
    }
    return names;
  }
}
