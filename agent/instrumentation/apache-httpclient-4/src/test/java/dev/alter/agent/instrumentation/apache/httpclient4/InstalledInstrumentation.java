package dev.alter.agent.instrumentation.apache.httpclient4;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

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
 * Weaves this module's advice into the real HttpClient 4.5 / HttpCore 4.4 classes of the test
 * JVM the way the agent's installer does (retransformation, no class format changes); the hooked
 * classes are loaded first so the retransformation path is the one exercised.
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
    for (String name : List.of("org.apache.http.impl.DefaultBHttpClientConnection",
        "org.apache.http.impl.io.AbstractMessageWriter", "org.apache.http.impl.conn.Wire",
        "org.apache.http.impl.client.DefaultHttpRequestRetryHandler")) {
      Class.forName(name);
    }
    Instrumentation instrumentation = ByteBuddyAgent.install();
    AgentBuilder agent = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
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
    for (TypeInstrumentation type : new ApacheHttpClient4InstrumentationModule().typeInstrumentations()) {
      agent = agent.type(type.typeMatcher(), type.classLoaderMatcher())
          .transform((builder, description, loader, module, domain) -> type.transform(builder));
    }
    agent.installOn(instrumentation);
    installed = true;
  }
}
