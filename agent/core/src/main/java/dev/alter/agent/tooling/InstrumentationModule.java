package dev.alter.agent.tooling;

import dev.alter.agent.injection.aws.ClientBodyReader;
import java.util.Collections;
import java.util.List;

/**
 * One instrumented library (and version range). Implementations are registered in {@code
 * META-INF/services/dev.alter.agent.tooling.InstrumentationModule} and loaded with {@link
 * java.util.ServiceLoader} in the agent's isolated class loader.
 *
 * <p>Advice classes are nested static classes of the {@link TypeInstrumentation}s. Byte Buddy reads
 * them as bytecode from the agent class loader and inlines them, so they may reference only JDK
 * classes, the instrumented library's classes and {@code dev.alter.agent.bootstrap.*}.
 */
public interface InstrumentationModule {
  /**
   * Short stable name, e.g. {@code okhttp}; {@code -Dalter.instrumentation.<name>.enabled=false}
   * disables the module.
   */
  String name();

  List<TypeInstrumentation> typeInstrumentations();

  /**
   * What must be woven before a tagged request may pass this module's entry points, by hook set
   * (the name the entry-point advice passes to {@code AlterBridge.requireHooks}).
   */
  default List<HookSet> hookSets() {
    return Collections.emptyList();
  }

  /**
   * Readers of the body objects this module's advice hands over with {@code
   * OutgoingBody.clientObject}, for signing secrets (AWS); registered when the module is installed.
   */
  default List<ClientBodyReader> bodyReaders() {
    return Collections.emptyList();
  }
}
