package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterUserSecrets;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.config.AgentLog;
import dev.alter.agent.tooling.InstrumentationModule;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * Entry point called by the launcher ({@code AlterAgent.premain}) inside the agent class loader:
 * reads the configuration, puts the request injector behind the bridge, installs the
 * instrumentation and prints the one start-up line. An unconfigured agent is installed but inert:
 * it strips {@code alter-*} headers and fails tagged requests, naming the missing setting.
 *
 * <p>Start-up does as little as it can: the injector is built on first use ({@link
 * DeferredInjector}) and Byte Buddy only once a hooked class loads ({@link LazyInstrumentation}),
 * which is also when the resolver client is warmed up, on a daemon thread.
 */
public final class AgentStartup {
  private AgentStartup() {}

  public static void start(String agentArgs, Instrumentation inst, String version) {
    long started = System.nanoTime();
    AgentConfig config = AgentConfig.load(agentArgs);
    AgentLog.setLevel(config.logLevel());
    for (String problem : config.problems()) {
      AgentLog.print(Level.WARNING, "configuration: " + problem);
    }

    DeferredInjector injector = new DeferredInjector(config, version);
    AlterBridge.install(injector);
    AlterUserSecrets.install(new DeferredUserSecrets(config, injector));

    List<String> names = new ArrayList<>();
    String mode = installInstrumentation(inst, config, injector, names);
    AgentLog.print(
        Level.INFO,
        "Alter agent "
            + version
            + " started: resolver="
            + (config.resolverUrls().isEmpty()
                ? "NOT SET"
                : config.resolverUrls().size() == 1
                    ? config.resolverUrl()
                    : String.join(
                        ",",
                        config.resolverUrls().stream()
                            .map(Object::toString)
                            .toArray(String[]::new)))
            + ", api key="
            + (config.apiKey() != null ? "from " + config.apiKeySource() : "NOT SET")
            + (config.caFile() != null ? ", ca file=" + config.caFile() : "")
            + (config.agentToken() != null ? ", agent token=from " + config.agentTokenSource() : "")
            + ", active families="
            + names
            + disabledFamilies(names)
            + (config.resolverUrl() == null || config.apiKey() == null
                ? " (inert: tagged requests will fail)"
                : "")
            + " in "
            + (System.nanoTime() - started) / 1_000_000
            + " ms"
            + mode);
  }

  /**
   * The packaged families the operator switched off, for the start-up line: their tagged requests
   * go out as the app built them.
   */
  private static String disabledFamilies(List<String> active) {
    List<String> disabled = new ArrayList<>();
    HookedTypesIndex index = HookedTypesIndex.read(AgentStartup.class.getClassLoader());
    if (index != null) {
      disabled.addAll(index.allModules());
      disabled.removeAll(active);
    }
    return disabled.isEmpty() ? "" : ", disabled families=" + disabled;
  }

  /** Visible to tests: the injector the bridge gets for this configuration. */
  static RequestInjector injectorFor(AgentConfig config) {
    return new DeferredInjector(config);
  }

  /**
   * Installs the name filter, or Byte Buddy at once when a module may hook any name. The hooked
   * names come from the index the build wrote into the jar, so start-up loads neither the modules'
   * classes nor Byte Buddy; without an index the modules are asked.
   *
   * @param names receives the enabled modules' names, for the start-up line
   * @return a note for the start-up line when Byte Buddy had to start at once
   */
  private static String installInstrumentation(
      Instrumentation inst, AgentConfig config, DeferredInjector injector, List<String> names) {
    try {
      HookedTypesIndex index = HookedTypesIndex.read(AgentStartup.class.getClassLoader());
      Set<String> hooked;
      List<InstrumentationModule> modules = null;
      if (index != null) {
        names.addAll(index.enabledModules());
        hooked = index.hookedBy(names);
      } else {
        modules = InstrumentationModules.discover();
        for (InstrumentationModule m : modules) {
          names.add(m.name());
        }
        hooked = InstrumentationModules.hookedTypeNames(modules);
      }
      if (hooked != null) {
        LazyInstrumentation lazy =
            new LazyInstrumentation(
                hooked,
                AgentStartup.class.getClassLoader(),
                new ByteBuddyActivation(
                    inst, modules, injector, config.weaveCache(), config.warmUpDelay()));
        lazy.install(inst);
        return lazy.isActive() ? " (hooked classes were already loaded)" : "";
      }
      // a module that does not match by fixed names needs Byte Buddy to see every class
      AgentInstaller.install(inst, modules != null ? modules : InstrumentationModules.discover());
      startWarmUp(injector, config.warmUpDelay());
      return " (eager: an instrumentation matches by more than names)";
    } catch (RuntimeException | LinkageError e) {
      AgentLog.logger()
          .log(
              Level.SEVERE,
              "instrumentation could not be installed; tagged requests are sent without "
                  + "Alter's help and will be rejected by providers",
              e);
      return "";
    }
  }

  /**
   * Prepares the resolver client (key pair, TLS, change subscription) on a daemon thread after
   * {@code delay}, so the first tagged request finds it ready without the application's start-up
   * sharing its CPU with that work; a tagged request that comes first prepares it itself.
   */
  static void startWarmUp(DeferredInjector injector, Duration delay) {
    Thread warmUp = new Thread(new WarmUp(injector, delay), "alter-agent-warm-up");
    warmUp.setDaemon(true);
    warmUp.setPriority(Thread.MIN_PRIORITY);
    warmUp.start();
  }

  /**
   * Starts the weaving for {@link LazyInstrumentation} (instantiating the modules first when
   * start-up did not need them): classes from the weave cache, Byte Buddy for the others; then
   * warms the resolver client up.
   */
  private static final class ByteBuddyActivation implements LazyInstrumentation.Activation {
    private final Instrumentation inst;
    private final List<InstrumentationModule> modules;
    private final DeferredInjector injector;
    private final Path weaveCache;
    private final Duration warmUpDelay;

    /**
     * @param modules the enabled modules, or null to discover them on activation
     * @param weaveCache the cache's directory, or null for none
     */
    ByteBuddyActivation(
        Instrumentation inst,
        List<InstrumentationModule> modules,
        DeferredInjector injector,
        Path weaveCache,
        Duration warmUpDelay) {
      this.inst = inst;
      this.modules = modules;
      this.injector = injector;
      this.weaveCache = weaveCache;
      this.warmUpDelay = warmUpDelay;
    }

    @Override
    public ClassFileTransformer start() {
      List<InstrumentationModule> enabled =
          modules != null ? modules : InstrumentationModules.discover();
      String build = weaveCache == null ? null : AgentBuild.fingerprint(AgentStartup.class);
      return new CachedWeaving(
          inst,
          enabled,
          build == null ? null : openCache(weaveCache),
          build,
          new ByteBuddyStart(inst, enabled));
    }

    /** The cache, or null (logged) when its directory cannot be trusted or used. */
    private static WeaveCache openCache(Path dir) {
      try {
        return WeaveCache.open(dir);
      } catch (IOException | RuntimeException e) {
        AgentLog.logger()
            .log(
                Level.WARNING,
                "the weave cache in {0} is not used ({1}); hooked classes are woven at each start",
                new Object[] {dir, e.getMessage()});
        return null;
      }
    }

    @Override
    public void started() {
      startWarmUp(injector, warmUpDelay);
    }
  }

  /** Byte Buddy's transformer, built on the first class the weave cache does not hold. */
  private static final class ByteBuddyStart implements Supplier<ClassFileTransformer> {
    private final Instrumentation inst;
    private final List<InstrumentationModule> modules;

    ByteBuddyStart(Instrumentation inst, List<InstrumentationModule> modules) {
      this.inst = inst;
      this.modules = modules;
    }

    @Override
    public ClassFileTransformer get() {
      return AgentInstaller.rawTransformer(inst, modules);
    }
  }

  private static final class WarmUp implements Runnable {
    private final DeferredInjector injector;
    private final Duration delay;

    WarmUp(DeferredInjector injector, Duration delay) {
      this.injector = injector;
      this.delay = delay;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      try {
        injector.warmUp();
      } catch (RuntimeException | LinkageError e) {
        // reported by the first tagged request, which retries the same steps
      }
    }
  }
}
