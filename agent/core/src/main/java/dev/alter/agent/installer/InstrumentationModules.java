package dev.alter.agent.installer;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the enabled instrumentation modules and the class names they hook, without Byte Buddy. */
final class InstrumentationModules {
  private InstrumentationModules() {}

  private static final String SERVICES =
      "META-INF/services/" + InstrumentationModule.class.getName();

  /**
   * The modules listed in the agent jar's {@code META-INF/services} file for {@link
   * InstrumentationModule}, minus those disabled with {@code
   * -Dalter.instrumentation.<name>.enabled=false}. Read directly from the agent loader rather than
   * through {@code ServiceLoader}, which would open the jar again through {@code jar:} URLs.
   */
  static List<InstrumentationModule> discover() {
    ClassLoader agentLoader = InstrumentationModules.class.getClassLoader();
    List<InstrumentationModule> enabled = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (InputStream in = agentLoader.getResourceAsStream(SERVICES)) {
      if (in != null) {
        addListed(
            in,
            names); // else no module packaged: nothing to instrument, as ServiceLoader would find
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String className : names) {
      InstrumentationModule module = instantiate(className, agentLoader);
      if (isEnabled(module.name())) {
        enabled.add(module);
      }
    }
    return enabled;
  }

  /**
   * Every module listed in any services file {@code loader} sees (the build's class path has one
   * per module jar).
   */
  static List<InstrumentationModule> all(ClassLoader loader) throws IOException {
    List<String> names = new ArrayList<>();
    for (URL url : Collections.list(loader.getResources(SERVICES))) {
      try (InputStream in = url.openStream()) {
        addListed(in, names);
      }
    }
    List<InstrumentationModule> modules = new ArrayList<>();
    for (String className : names) {
      modules.add(instantiate(className, loader));
    }
    return modules;
  }

  static boolean isEnabled(String moduleName) {
    String flag = System.getProperty("alter.instrumentation." + moduleName + ".enabled");
    return flag == null || !flag.trim().equalsIgnoreCase("false");
  }

  private static void addListed(InputStream in, List<String> names) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      int comment = line.indexOf('#');
      String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
      if (!name.isEmpty() && !names.contains(name)) {
        names.add(name);
      }
    }
  }

  private static InstrumentationModule instantiate(String className, ClassLoader loader) {
    try {
      Class<?> type = Class.forName(className, true, loader);
      return (InstrumentationModule) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "instrumentation module " + className + " could not be created", e);
    }
  }

  /**
   * Every class name any enabled instrumentation can transform, or null when one of them matches by
   * something other than fixed names (then Byte Buddy has to see every class).
   */
  static Set<String> hookedTypeNames(List<InstrumentationModule> modules) {
    Set<String> names = new HashSet<>();
    for (InstrumentationModule module : modules) {
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        Set<String> typeNames = type.typeNames();
        if (typeNames == null) {
          return null;
        }
        names.addAll(typeNames);
      }
    }
    return names;
  }
}
