package dev.alter.agent.installer;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What weaving did to each hooked type, per defining class loader (null for the boot loader),
 * recorded by the installer's listener and read by {@link HookCoverage}. Loaders are held weakly.
 */
final class WovenTypes {
  enum Outcome {
    /** The advice was woven into at least one of the hooked methods. */
    HOOKED,
    /** The type was transformed, but no method matches the hook (renamed or changed internals). */
    NO_HOOK_POINT,
    /** Byte Buddy failed to transform the type. */
    FAILED
  }

  /** One type's outcome and, unless hooked, why. */
  static final class Record {
    final Outcome outcome;
    final String detail;

    Record(Outcome outcome, String detail) {
      this.outcome = outcome;
      this.detail = detail;
    }
  }

  /** The one record of the running agent, shared by Byte Buddy's listener and the weave cache. */
  static final WovenTypes OF_THIS_AGENT = new WovenTypes();

  private final Map<ClassLoader, Map<String, Record>> byLoader =
      Collections.synchronizedMap(new WeakHashMap<>());

  void record(ClassLoader loader, String typeName, Outcome outcome, String detail) {
    synchronized (byLoader) {
      byLoader
          .computeIfAbsent(loader, l -> new HashMap<>())
          .put(typeName, new Record(outcome, detail));
    }
  }

  /**
   * @return the outcome for {@code typeName} as defined by {@code loader}, or null if it was never
   *     woven there
   */
  Record get(ClassLoader loader, String typeName) {
    synchronized (byLoader) {
      Map<String, Record> types = byLoader.get(loader);
      return types == null ? null : types.get(typeName);
    }
  }
}
