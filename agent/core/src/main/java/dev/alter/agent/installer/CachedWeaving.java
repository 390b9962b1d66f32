package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.config.AgentLog;
import dev.alter.agent.injection.aws.ClientBodyReaders;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;

/**
 * The transformer {@link LazyInstrumentation} hands hooked classes to: it serves a class from the
 * {@link WeaveCache} when an earlier start of the same agent build wove the same bytes the same
 * way, and starts Byte Buddy (the agent's start-up cost: ~1,100 classes loaded, verified and run
 * interpreted once) only for a class the cache does not have, storing what Byte Buddy wove.
 *
 * <p>A served class gets what Byte Buddy's weaving would have given it: the same bytes, its module
 * reading the bridge's, and its outcome recorded for the entry points' hook check. Only outcomes
 * that hooked (or types without a hook) are stored; a type whose hook found no method is woven
 * again at each start, so its WARNING and its {@code client_not_supported} stay. The lookup key is
 * the SHA-256 of the agent build's fingerprint, the enabled modules, the class name, which of its
 * instrumentations accept the defining class loader, and the original class bytes: the inputs that
 * decide Byte Buddy's output, since every matcher is by name and advice is inlined from the agent
 * jar.
 */
final class CachedWeaving implements ClassFileTransformer {
  private final Instrumentation inst;
  private final List<InstrumentationModule> modules;
  private final WeaveCache cache;
  private final String buildFingerprint;
  private final Supplier<ClassFileTransformer> byteBuddy;
  private final Map<String, List<TypeInstrumentation>> instrumentationsOf = new HashMap<>();
  private final Set<String> hookedTypes = new HashSet<>();
  private final String enabledModules;
  private final AtomicInteger served = new AtomicInteger();
  private final AtomicInteger stored = new AtomicInteger();
  private volatile ClassFileTransformer woven;
  private Thread startingByteBuddy;
  private boolean byteBuddyFailed;

  /**
   * @param cache null to weave every class with Byte Buddy
   * @param byteBuddy builds Byte Buddy's transformer (with the hook check), called at most once
   */
  CachedWeaving(
      Instrumentation inst,
      List<InstrumentationModule> modules,
      WeaveCache cache,
      String buildFingerprint,
      Supplier<ClassFileTransformer> byteBuddy) {
    this.inst = inst;
    this.modules = modules;
    this.cache = cache;
    this.buildFingerprint = buildFingerprint;
    this.byteBuddy = byteBuddy;
    List<String> names = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      names.add(module.name());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        Set<String> typeNames = type.typeNames();
        for (String name : typeNames == null ? Collections.<String>emptySet() : typeNames) {
          instrumentationsOf.computeIfAbsent(name, n -> new ArrayList<>()).add(type);
          if (type.hookedMethods() != null) {
            hookedTypes.add(name);
          }
        }
      }
    }
    this.enabledModules = String.join(",", names);
    // what Byte Buddy's start would also do, so served classes link and are checked as woven ones
    for (InstrumentationModule module : modules) {
      ClientBodyReaders.register(module.bodyReaders());
    }
    BridgeModule.readByJdkHttpClient(inst);
    AlterBridge.installHookCheck(new HookCoverage(modules, WovenTypes.OF_THIS_AGENT));
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    String name = className.replace('/', '.');
    List<TypeInstrumentation> types = instrumentationsOf.get(name);
    if (types == null || cache == null) {
      return weave(
          module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }
    int accepting = 0;
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).classLoaderMatcher().matches(loader)) {
        accepting |= 1 << i;
      }
    }
    if (accepting == 0) {
      return null; // no instrumentation of this name wants this loader: Byte Buddy would skip it
    }
    byte[] lookupKey = lookupKey(name, accepting, classfileBuffer);
    byte[] cached = cache.get(lookupKey);
    if (cached != null) {
      BridgeModule.readBy(inst, module);
      if (hookedTypes.contains(name)) {
        WovenTypes.OF_THIS_AGENT.record(loader, name, WovenTypes.Outcome.HOOKED, null);
      }
      served.incrementAndGet();
      if (AgentLog.isLoggable(Level.FINE)) {
        AgentLog.logger().log(Level.FINE, "instrumented {0} (from the weave cache)", name);
      }
      return cached;
    }
    byte[] result =
        weave(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    if (result != null && isStorable(loader, name)) {
      try {
        cache.put(lookupKey, result);
        stored.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        AgentLog.logger()
            .log(Level.FINE, "could not store " + name + " in the weave cache " + cache, e);
      }
    }
    return result;
  }

  /** Classes served from the cache so far, and classes Byte Buddy wove and the cache stored. */
  int served() {
    return served.get();
  }

  int stored() {
    return stored.get();
  }

  boolean byteBuddyStarted() {
    return woven != null;
  }

  private boolean isStorable(ClassLoader loader, String name) {
    if (!hookedTypes.contains(name)) {
      return true;
    }
    WovenTypes.Record record = WovenTypes.OF_THIS_AGENT.get(loader, name);
    return record != null && record.outcome == WovenTypes.Outcome.HOOKED;
  }

  private byte[] lookupKey(String name, int accepting, byte[] original) {
    MessageDigest digest = WeaveCache.sha256();
    digest.update(
        ("alter-weave-cache-1\0"
                + buildFingerprint
                + '\0'
                + enabledModules
                + '\0'
                + name
                + '\0'
                + accepting
                + '\0')
            .getBytes(StandardCharsets.UTF_8));
    return digest.digest(original);
  }

  private byte[] weave(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    ClassFileTransformer transformer = byteBuddy();
    return transformer == null
        ? null
        : transformer.transform(
            module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }

  private ClassFileTransformer byteBuddy() {
    ClassFileTransformer active = woven;
    if (active != null) {
      return active;
    }
    synchronized (this) {
      // Byte Buddy's own start loading a hooked class on this thread gets it unwoven, as before
      if (woven != null || byteBuddyFailed || startingByteBuddy == Thread.currentThread()) {
        return woven;
      }
      startingByteBuddy = Thread.currentThread();
      long started = System.nanoTime();
      try {
        woven = byteBuddy.get();
        AgentLog.logger()
            .log(
                Level.FINE,
                "Byte Buddy started in {0} ms (a class the weave cache did not hold)",
                (System.nanoTime() - started) / 1_000_000);
      } catch (RuntimeException | LinkageError e) {
        byteBuddyFailed = true;
        AgentLog.logger()
            .log(
                Level.SEVERE,
                "instrumentation could not be installed; tagged requests are sent without "
                    + "Alter's help and will be rejected by providers",
                e);
      } finally {
        startingByteBuddy = null;
      }
      return woven;
    }
  }

  @Override
  public String toString() {
    return cache == null ? "no weave cache" : cache.directory().toString();
  }
}
