package dev.alter.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves this module's advice into the test JVM's own {@code java.base} the way the agent's
 * installer does: retransformation without class format changes, the bootstrap loader not
 * ignored, and {@code java.base} made to read the bootstrap class path's unnamed module where
 * the bridge lives ({@code -Xbootclasspath/a} in the surefire configuration). The hooked classes
 * are loaded first on purpose, so the test proves the retransformation path the agent needs when
 * an application touched HttpURLConnection before the agent started.
 */
final class InstalledInstrumentation {
  static final Set<String> TRANSFORMED = ConcurrentHashMap.newKeySet();
  static final List<Throwable> ERRORS = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private InstalledInstrumentation() {}

  static synchronized void ensureInstalled() throws ClassNotFoundException {
    if (installed) {
      return;
    }
    if (AlterBridge.class.getClassLoader() != null) {
      throw new IllegalStateException("the bridge must come from the bootstrap class path");
    }
    Class.forName("sun.net.www.http.HttpClient");
    Class.forName("sun.net.www.http.HttpCaptureOutputStream");
    Instrumentation instrumentation = ByteBuddyAgent.install();
    AgentBuilder agent = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new AgentBuilder.Listener.ModuleReadEdgeCompleting(instrumentation, false,
            Set.of(JavaModule.ofType(AlterBridge.class))))
        .ignore(nameStartsWith("net.bytebuddy."))
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
              boolean loaded, DynamicType dynamicType) {
            TRANSFORMED.add(type.getName());
          }

          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
              Throwable throwable) {
            ERRORS.add(throwable);
          }
        });
    for (TypeInstrumentation type : new HttpUrlConnectionInstrumentationModule().typeInstrumentations()) {
      agent = agent.type(type.typeMatcher(), type.classLoaderMatcher())
          .transform((builder, description, loader, module, domain) -> type.transform(builder));
    }
    agent.installOn(instrumentation);
    installed = true;
  }
}
