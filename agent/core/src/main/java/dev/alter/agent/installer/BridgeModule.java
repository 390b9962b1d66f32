package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterBridge;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * The read edges Byte Buddy's weaving adds for the bridge, added without Byte Buddy for classes the
 * weave cache serves: a named module whose classes call the bridge (on the bootstrap class path, in
 * the boot loader's unnamed module) must read that module or linking fails.
 */
final class BridgeModule {
  private BridgeModule() {}

  /** {@code java.net.http}, whose internals the JDK HttpClient hooks are woven into. */
  static void readByJdkHttpClient(Instrumentation inst) {
    readBy(inst, ModuleLayer.boot().findModule("java.net.http").orElse(null));
  }

  static void readBy(Instrumentation inst, Module module) {
    Module bridge = AlterBridge.class.getModule();
    if (module != null && module.isNamed() && !module.canRead(bridge)) {
      inst.redefineModule(module, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }
}
