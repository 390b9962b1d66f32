package dev.alter.agent.instrumentation.apache.httpclient5;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.alter.agent.tooling.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves this module's advice into the test JVM the way the agent's installer does (retransforming,
 * no class format changes), so the unit tests run real Apache clients through the real hooks
 * without the packaged agent. Fails loudly if any hook could not be applied.
 */
final class InProcessAgent {
  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
  private static final List<String> TRANSFORMED = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private InProcessAgent() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Instrumentation inst = ByteBuddyAgent.install();
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
              Throwable throwable) {
            ERRORS.add(typeName + ": " + throwable);
          }

          @Override
          public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
              boolean loaded, DynamicType dynamicType) {
            TRANSFORMED.add(type.getName());
          }
        })
        .ignore(not(nameStartsWith("org.apache.hc.")));
    for (TypeInstrumentation type : new ApacheHttpClient5InstrumentationModule().typeInstrumentations()) {
      builder = builder.type(type.typeMatcher(), type.classLoaderMatcher())
          .transform((b, typeDescription, loader, module, domain) -> type.transform(b));
    }
    builder.installOn(inst);
    installed = true;
  }

  static List<String> errors() {
    return ERRORS;
  }

  static List<String> transformed() {
    return TRANSFORMED;
  }
}
