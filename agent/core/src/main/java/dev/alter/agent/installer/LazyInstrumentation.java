package dev.alter.agent.installer;

import dev.alter.agent.config.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;

/**
 * The agent's only class file transformer until a hooked class appears: it compares each loading
 * class's name with the fixed set of names the instrumentations target and does nothing else, so an
 * application that never loads an HTTP client never loads Byte Buddy. The first class whose name is
 * in the set brings Byte Buddy in ({@link Activation#start}) on that loading thread, before that
 * class is defined, and that class and every later one in the set go through Byte Buddy's
 * transformer, which applies the instrumentations' full matchers (class loader checks included).
 * Classes of the set that were already loaded when the agent started are retransformed.
 *
 * <p>Fail closed: the class that triggers activation is transformed in the same call, never defined
 * unhooked; if Byte Buddy cannot start, the failure is logged once as SEVERE, as an eager install
 * failure was.
 */
final class LazyInstrumentation implements ClassFileTransformer {
  /** Builds Byte Buddy's transformer; called at most once. */
  interface Activation {
    ClassFileTransformer start();

    /**
     * Runs once after a successful start, on the thread that started it but outside the lock, so it
     * may start threads that load hooked classes themselves.
     */
    void started();
  }

  private final Set<String> binaryNames;
  private final Set<String> internalNames;
  private final ClassLoader agentLoader;
  private final Activation activation;
  private volatile ClassFileTransformer delegate;
  private boolean activating;
  private boolean failed;

  /**
   * @param binaryNames {@code a.b.C$D} names of every class any instrumentation may transform
   */
  LazyInstrumentation(Set<String> binaryNames, ClassLoader agentLoader, Activation activation) {
    this.binaryNames = new HashSet<>(binaryNames);
    this.internalNames = new HashSet<>();
    for (String name : binaryNames) {
      internalNames.add(name.replace('.', '/'));
    }
    this.agentLoader = agentLoader;
    this.activation = activation;
  }

  /**
   * Registers the filter, then brings Byte Buddy in at once if a hooked class is already loaded.
   */
  void install(Instrumentation inst) {
    inst.addTransformer(this, true);
    List<Class<?>> alreadyLoaded = new ArrayList<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (binaryNames.contains(type.getName())
          && type.getClassLoader() != agentLoader
          && inst.isModifiableClass(type)) {
        alreadyLoaded.add(type);
      }
    }
    if (!alreadyLoaded.isEmpty() && delegate() != null) {
      try {
        inst.retransformClasses(alreadyLoaded.toArray(new Class<?>[0]));
      } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
        AgentLog.logger()
            .log(Level.SEVERE, "classes loaded before the agent could not be instrumented", e);
      }
    }
  }

  boolean isActive() {
    return delegate != null;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (!isHooked(className, loader)) {
      return null;
    }
    ClassFileTransformer transformer = delegate();
    if (transformer == null) {
      return null;
    }
    try {
      return transformer.transform(
          module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    } catch (Throwable t) {
      // Byte Buddy reports its own failures through its listener; this is a last resort
      if (AgentLog.isLoggable(Level.FINE)) {
        AgentLog.logger().log(Level.FINE, "could not instrument " + className, t);
      }
      return null;
    }
  }

  private boolean isHooked(String internalName, ClassLoader loader) {
    return internalName != null && internalNames.contains(internalName) && loader != agentLoader;
  }

  private ClassFileTransformer delegate() {
    ClassFileTransformer active = delegate;
    if (active != null) {
      return active;
    }
    synchronized (this) {
      // activating: a class of the set loaded by Byte Buddy's own start on this thread
      if (delegate != null || failed || activating) {
        return delegate;
      }
      activating = true;
      long started = System.nanoTime();
      try {
        delegate = activation.start();
        if (AgentLog.isLoggable(Level.FINE)) {
          AgentLog.logger()
              .log(
                  Level.FINE,
                  "instrumentation started in {0} ms",
                  (System.nanoTime() - started) / 1_000_000);
        }
      } catch (RuntimeException | LinkageError e) {
        failed = true;
        AgentLog.logger()
            .log(
                Level.SEVERE,
                "instrumentation could not be installed; tagged requests are sent without "
                    + "Alter's help and will be rejected by providers",
                e);
        return null;
      } finally {
        activating = false;
      }
    }
    activation.started();
    return delegate;
  }
}
