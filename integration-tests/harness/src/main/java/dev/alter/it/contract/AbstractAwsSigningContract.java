package dev.alter.it.contract;

import dev.alter.it.child.AwsSigningScenario;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built AWS requests ({@link AwsSigningScenario}) from one HTTP client's app under the real
 * agent: each request that goes out is signed with SigV4 exactly as an independent computation with
 * the stored secret says ({@link AwsSigningExpectations}). A client lists its apps (a JDK, a
 * release, a protocol or mode each); every one runs the whole scenario in a child JVM of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractAwsSigningContract {
  /** The client's signing apps, one per configuration to prove. */
  protected abstract List<SigningApp> signingApps();

  @ParameterizedTest(name = "{0}")
  @MethodSource("signingApps")
  void handBuiltAwsRequestsAreSignedEndToEnd(SigningApp app) {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    ChildResult result = app.child(world).run();
    if (app.bodiesReadable) {
      AwsSigningExpectations.verify(world, result);
    } else {
      AwsSigningExpectations.verifyWithoutBodyAccess(world, result);
    }
  }

  /**
   * One app that runs {@link AwsSigningScenario}: its main class takes the scenario's arguments
   * first, then {@code arguments}; {@code jars} are the client's.
   */
  public static final class SigningApp {
    private final String name;
    private final JavaRuntime runtime;
    private final Class<?> main;
    private final Path source;
    private final List<String> arguments;
    private final List<Path> jars;
    private boolean bodiesReadable = true;

    private SigningApp(
        String name,
        JavaRuntime runtime,
        Class<?> main,
        Path source,
        List<String> arguments,
        List<Path> jars) {
      this.name = name;
      this.runtime = runtime;
      this.main = main;
      this.source = source;
      this.arguments = arguments;
      this.jars = jars;
    }

    public static SigningApp of(
        String name, JavaRuntime runtime, Class<?> main, List<String> arguments, List<Path> jars) {
      return new SigningApp(name, runtime, main, null, arguments, jars);
    }

    /**
     * An app launched in source-file mode ({@code java App.java}), for a client whose releases
     * differ in API so that the module compiles none of them.
     */
    public static SigningApp ofSource(
        String name, JavaRuntime runtime, Path source, List<String> arguments, List<Path> jars) {
      return new SigningApp(name, runtime, null, source, arguments, jars);
    }

    /** For a client whose bodies cannot be read ahead of sending: every body counts as streamed. */
    public SigningApp withoutBodyAccess() {
      bodiesReadable = false;
      return this;
    }

    ChildJvm child(AwsSigningWorld world) {
      List<String> all = new ArrayList<>(List.of(world.scenarioArguments()));
      all.addAll(arguments);
      ChildJvm child = world.child(runtime);
      if (main != null) {
        child.main(main, all.toArray(String[]::new));
      } else {
        child.main(source.toString(), all.toArray(String[]::new));
      }
      child.classpathOf(ChildReport.class);
      for (Path jar : jars) {
        child.classpathEntry(jar);
      }
      return child;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
