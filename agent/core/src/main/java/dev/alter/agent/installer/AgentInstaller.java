package dev.alter.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.config.AgentLog;
import dev.alter.agent.injection.aws.ClientBodyReaders;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds one Byte Buddy {@link AgentBuilder} for every enabled {@link InstrumentationModule}
 * (usually only once a hooked class loads, see {@link LazyInstrumentation}). Matching is by name
 * with an explicit ignore list (fast start-up), the platform class loader is not ignored (that is
 * where {@code java.net.http} lives), classes loaded before the agent are retransformed, and every
 * named module that receives advice reads the bootstrap loader's unnamed module, where the bridge
 * lives.
 */
public final class AgentInstaller {
  /** Also sets the agent's logger up before Byte Buddy's listener or any instrumented call logs. */
  private static final Logger LOG = AgentLog.logger();

  /** What weaving did to each hooked type; read by the entry points' {@link HookCoverage}. */
  private static final WovenTypes WOVEN = WovenTypes.OF_THIS_AGENT;

  private AgentInstaller() {}

  /** Installs Byte Buddy's transformer now and retransforms every matching class already loaded. */
  public static void install(Instrumentation inst, List<InstrumentationModule> modules) {
    agentBuilder(inst, modules).installOn(inst);
  }

  /**
   * Byte Buddy's transformer, not registered: {@link LazyInstrumentation} calls it for the classes
   * it lets through (and retransforms what was loaded before).
   */
  static ClassFileTransformer rawTransformer(
      Instrumentation inst, List<InstrumentationModule> modules) {
    return agentBuilder(inst, modules).makeRaw();
  }

  private static AgentBuilder agentBuilder(
      Instrumentation inst, List<InstrumentationModule> modules) {
    // Byte Buddy's Nexus is not needed (no loaded type initializers) and on JDK 24+ it makes the
    // JVM print sun.misc.Unsafe deprecation warnings into the application's stderr.
    if (System.getProperty("net.bytebuddy.nexus.disabled") == null) {
      System.setProperty("net.bytebuddy.nexus.disabled", "true");
    }
    JavaModule bridgeModule = JavaModule.ofType(AlterBridge.class);
    addReadEdge(inst, "java.net.http", bridgeModule);

    ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
    // Advice is only ever woven into a hooked type's own methods: compiling the whole method graph
    // of its hierarchy (the default) was a quarter of the agent's start-up CPU.
    AgentBuilder builder =
        new AgentBuilder.Default(
                new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(
                new AgentBuilder.Listener.ModuleReadEdgeCompleting(
                    inst, false, Collections.singleton(bridgeModule)))
            .with(new WeaveOutcomes(modules, WOVEN))
            .ignore(any(), is(agentLoader))
            .or(ignoredTypes());
    AlterBridge.installHookCheck(new HookCoverage(modules, WOVEN));
    for (InstrumentationModule module : modules) {
      ClientBodyReaders.register(module.bodyReaders());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        builder =
            builder
                .type(type.typeMatcher(), type.classLoaderMatcher())
                .transform(new Weaving(type));
      }
    }
    return builder;
  }

  /**
   * Hands one type's builder to its instrumentation (a class, not a lambda: no indy at start-up).
   */
  private static final class Weaving implements AgentBuilder.Transformer {
    private final TypeInstrumentation type;

    Weaving(TypeInstrumentation type) {
      this.type = type;
    }

    @Override
    public DynamicType.Builder<?> transform(
        DynamicType.Builder<?> builder,
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        ProtectionDomain protectionDomain) {
      return type.transform(builder);
    }
  }

  /**
   * Types no instrumentation ever targets: the JDK (except the HTTP clients' internals), the agent
   * itself and generated classes. Checked by name, so it costs no class parsing.
   */
  static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
    return nameStartsWith("dev.alter.agent.")
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("java."))
        .or(nameStartsWith("javax."))
        // HttpURLConnection writes every request header block through sun.net.www.http.HttpClient;
        // HttpCaptureOutputStream is the JDK's raw traffic capture, masked by that module; the
        // connection's connect/getOutputStream/getInputStream check tagged requests' hooks
        .or(
            nameStartsWith("sun.")
                .and(
                    not(
                        namedOneOf(
                            "sun.net.www.http.HttpClient",
                            "sun.net.www.http.HttpCaptureOutputStream",
                            "sun.net.www.protocol.http.HttpURLConnection"))))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("jdk.").and(not(nameStartsWith("jdk.internal.net.http."))))
        .or(nameContains("$$Lambda"))
        .or(nameContains("$ByteBuddy$"))
        .or(isSynthetic());
  }

  /**
   * Lets a JDK module's instrumented classes link against the bridge on the bootstrap class path.
   */
  private static void addReadEdge(
      Instrumentation inst, String moduleName, JavaModule bridgeModule) {
    Module module = ModuleLayer.boot().findModule(moduleName).orElse(null);
    Module bridge = (Module) bridgeModule.unwrap();
    if (module != null && !module.canRead(bridge)) {
      inst.redefineModule(module, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }

  /**
   * Records what weaving did to each type that holds a hook ({@link
   * TypeInstrumentation#hookedMethods()}), and logs a failure to weave any type of an enabled
   * module as a WARNING naming the module and the class: the family's entry points then refuse
   * tagged requests ({@code client_not_supported}) instead of sending them without their
   * credential.
   */
  static final class WeaveOutcomes extends AgentBuilder.Listener.Adapter {
    private final Map<String, String> moduleOfType = new HashMap<>();
    private final Map<String, List<TypeInstrumentation>> hooksOfType = new HashMap<>();
    private final WovenTypes woven;

    WeaveOutcomes(List<InstrumentationModule> modules, WovenTypes woven) {
      this.woven = woven;
      for (InstrumentationModule module : modules) {
        for (TypeInstrumentation type : module.typeInstrumentations()) {
          Set<String> names = type.typeNames();
          for (String name : names == null ? Collections.<String>emptySet() : names) {
            moduleOfType.putIfAbsent(name, module.name());
            if (type.hookedMethods() != null) {
              hooksOfType.computeIfAbsent(name, n -> new ArrayList<>()).add(type);
            }
          }
        }
      }
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      String reason = throwable.getClass().getName() + ": " + throwable.getMessage();
      if (hooksOfType.containsKey(typeName)) {
        woven.record(classLoader, typeName, WovenTypes.Outcome.FAILED, reason);
      }
      LOG.log(
          Level.WARNING,
          "instrumentation module "
              + moduleOfType.getOrDefault(typeName, "?")
              + " could not instrument "
              + typeName
              + (hooksOfType.containsKey(typeName)
                  ? "; tagged requests through this client fail with client_not_supported"
                  : "")
              + " ("
              + reason
              + ")",
          throwable);
    }

    @Override
    public void onTransformation(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      String name = typeDescription.getName();
      List<TypeInstrumentation> hooks = hooksOfType.get(name);
      if (hooks != null) {
        String missing = missingHookPoint(typeDescription, hooks);
        if (missing == null) {
          woven.record(classLoader, name, WovenTypes.Outcome.HOOKED, null);
        } else {
          woven.record(classLoader, name, WovenTypes.Outcome.NO_HOOK_POINT, missing);
          LOG.log(
              Level.WARNING,
              "instrumentation module {0}: {1} has no method {2}; tagged requests through this"
                  + " client fail with client_not_supported",
              new Object[] {moduleOfType.get(name), name, missing});
        }
      }
      LOG.log(Level.FINE, "instrumented {0}", name);
    }

    /** Null when every hook of the type found a method to weave into, else which did not. */
    private static String missingHookPoint(TypeDescription type, List<TypeInstrumentation> hooks) {
      for (TypeInstrumentation hook : hooks) {
        if (type.getDeclaredMethods()
            .filter(not(isAbstract()).and(hook.hookedMethods()))
            .isEmpty()) {
          return "matching " + hook.getClass().getSimpleName() + "'s hook";
        }
      }
      return null;
    }
  }
}
