package dev.alter.agent.testing;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.ClientHookCheck;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * One instrumentation module's advice woven into the test JVM the way the agent's installer does
 * (retransformation, no class format changes, every advised named module reading the bridge's
 * module), so a module's tests run the real client through the real hooks without the packaged
 * agent. The installer itself cannot be used here: it ignores the agent's own class loader, which
 * in a test is the one that loaded the client too. Installed once per module and JVM.
 */
public final class InstalledInstrumentation {
  private static final Map<String, InstalledInstrumentation> INSTALLED = new HashMap<>();

  /** Names of the types the advice was woven into. */
  public final Set<String> transformed = ConcurrentHashMap.newKeySet();

  /** Why a hooked type could not be woven; empty when every hook applied. */
  public final List<Throwable> errors = new CopyOnWriteArrayList<>();

  private InstalledInstrumentation() {}

  /**
   * Weaves {@code module} into this JVM unless that was done already. The classes named in {@code
   * loadFirst} are loaded before, so their weaving takes the retransformation path the agent needs
   * when an application touched the client before the agent started.
   */
  private static final ClientHookCheck ALL_HOOKS_PRESENT = (hookSet, clientType, grantId) -> {};

  public static synchronized InstalledInstrumentation of(
      InstrumentationModule module, String... loadFirst) {
    InstalledInstrumentation existing = INSTALLED.get(module.name());
    if (existing != null) {
      return existing;
    }
    for (String name : loadFirst) {
      try {
        Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("a hooked class to load first is missing: " + name, e);
      }
    }
    InstalledInstrumentation installation = new InstalledInstrumentation();
    Instrumentation instrumentation = ByteBuddyAgent.install();
    AgentBuilder agent =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(
                new AgentBuilder.Listener.ModuleReadEdgeCompleting(
                    instrumentation, false, Set.of(JavaModule.ofType(AlterBridge.class))))
            // the JDK is not ignored: java.base and java.net.http hold hooked types
            .ignore(
                nameStartsWith("net.bytebuddy.")
                    .or(nameStartsWith("dev.alter.agent."))
                    .or(isSynthetic()))
            .with(
                new AgentBuilder.Listener.Adapter() {
                  @Override
                  public void onTransformation(
                      TypeDescription type,
                      ClassLoader loader,
                      JavaModule javaModule,
                      boolean loaded,
                      DynamicType dynamicType) {
                    installation.transformed.add(type.getName());
                  }

                  @Override
                  public void onError(
                      String typeName,
                      ClassLoader loader,
                      JavaModule javaModule,
                      boolean loaded,
                      Throwable throwable) {
                    installation.errors.add(throwable);
                  }
                });
    for (TypeInstrumentation type : module.typeInstrumentations()) {
      agent =
          agent
              .type(type.typeMatcher(), type.classLoaderMatcher())
              .transform(
                  (builder, description, loader, javaModule, domain) -> type.transform(builder));
    }
    agent.installOn(instrumentation);
    // One module woven into the test JVM: its entry-point checks pass here; whether they refuse a
    // client whose hooks are missing is proven in child JVMs with the real agent.
    AlterBridge.installHookCheck(ALL_HOOKS_PRESENT);
    INSTALLED.put(module.name(), installation);
    return installation;
  }
}
