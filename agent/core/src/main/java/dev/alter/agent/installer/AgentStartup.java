package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.config.AgentLog;
import dev.alter.agent.injection.AlterRequestInjector;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ProcessKeyPair;
import dev.alter.agent.resolver.ResolverClient;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.contract.ErrorCode;
import java.lang.instrument.Instrumentation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point called by the launcher ({@code AlterAgent.premain}) inside the agent class loader:
 * reads the configuration, installs the request injector behind the bridge, installs the
 * instrumentation and prints the one start-up line. An unconfigured agent is installed but inert:
 * it strips {@code alter-*} headers and fails tagged requests, naming the missing setting.
 */
public final class AgentStartup {
  private AgentStartup() {}

  public static void start(String agentArgs, Instrumentation inst, String version) {
    long started = System.nanoTime();
    Logger log = AgentLog.logger();
    AgentConfig config = AgentConfig.load(agentArgs);
    AgentLog.setLevel(config.logLevel());
    for (String problem : config.problems()) {
      log.warning("configuration: " + problem);
    }

    AlterBridge.install(injectorFor(config));

    List<InstrumentationModule> modules = AgentInstaller.discoverModules(System::getProperty);
    List<String> names = new ArrayList<>();
    for (InstrumentationModule m : modules) {
      names.add(m.name());
    }
    try {
      AgentInstaller.install(inst, modules);
    } catch (RuntimeException | LinkageError e) {
      log.log(Level.SEVERE, "instrumentation could not be installed; tagged requests are sent without "
          + "Alter's help and will be rejected by providers", e);
    }
    log.info("Alter agent " + version + " started: resolver=" + (config.resolverUrl() == null ? "NOT SET"
        : config.resolverUrl()) + ", api key=" + (config.apiKey() != null ? "from " + config.apiKeySource() : "NOT SET")
        + (config.caFile() != null ? ", ca file=" + config.caFile() : "")
        + (config.agentToken() != null ? ", agent token=from " + config.agentTokenSource() : "")
        + ", instrumented=" + names
        + (config.resolverUrl() == null || config.apiKey() == null ? " (inert: tagged requests will fail)" : "")
        + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
  }

  static AlterRequestInjector injectorFor(AgentConfig config) {
    if (config.resolverUrl() == null) {
      return AlterRequestInjector.unconfigured(ErrorCode.RESOLVER_UNAVAILABLE,
          "the agent has no resolver URL; set ALTER_RESOLVER_URL, -Dalter.resolver.url or the agent argument resolver=");
    }
    if (config.apiKey() == null) {
      return AlterRequestInjector.unconfigured(ErrorCode.UNAUTHORIZED_APP,
          "the agent has no app key; set ALTER_API_KEY, ALTER_API_KEY_FILE, -Dalter.api.key.file or the agent argument api_key_file="
              + (config.apiKeySource() != null ? " (the key from " + config.apiKeySource() + " could not be used)" : ""));
    }
    ResolverClient client = new ResolverClient(config.resolverUrl(), config.apiKey(), config.caFile(),
        config.resolveTimeout(), ProcessKeyPair.lazy());
    GrantResolver resolver = new GrantResolver(client, Clock.systemUTC(), config.resolveTimeout(),
        config.maxStaleness());
    Thread warmUp = new Thread(client::prepare, "alter-agent-warm-up");
    warmUp.setDaemon(true);
    warmUp.setPriority(Thread.MIN_PRIORITY);
    warmUp.start();
    return AlterRequestInjector.resolvingWith(resolver, config.agentToken());
  }
}
