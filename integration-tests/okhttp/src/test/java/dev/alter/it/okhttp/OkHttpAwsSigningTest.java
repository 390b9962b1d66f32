package dev.alter.it.okhttp;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.okhttp.app.AwsSigningOkHttpApp;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Hand-built AWS requests from an OkHttp app under the real agent, through the legacy codec hook
 * (3.12) and the {@code Exchange} hook (3.14, 4.x, 5.x), on HTTP/1.1 and HTTP/2: each is signed with
 * SigV4 exactly as an independent computation with the stored secret says.
 */
class OkHttpAwsSigningTest {
  @Test
  void okHttp312LegacyCodecsSignOverHttp11() {
    runScenario(OkHttpRelease.OKHTTP_3_12, "HTTP_1_1");
  }

  @Test
  void okHttp312LegacyCodecsSignOverHttp2() {
    runScenario(OkHttpRelease.OKHTTP_3_12, "HTTP_2");
  }

  @Test
  void okHttp314SignsOverHttp11() {
    runScenario(OkHttpRelease.OKHTTP_3_14, "HTTP_1_1");
  }

  @Test
  void okHttp4SignsOverHttp2() {
    runScenario(OkHttpRelease.OKHTTP_4, "HTTP_2");
  }

  @Test
  void okHttp5SignsOverHttp11() {
    runScenario(OkHttpRelease.OKHTTP_5, "HTTP_1_1");
  }

  @Test
  void okHttp5SignsOverHttp2() {
    runScenario(OkHttpRelease.OKHTTP_5, "HTTP_2");
  }

  private static void runScenario(OkHttpRelease release, String protocol) {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    String[] args = world.scenarioArguments();
    ChildJvm child = world.child(JavaRuntime.JDK_17)
        .main(AwsSigningOkHttpApp.class, args[0], args[1], protocol)
        .classpathOf(ChildReport.class);
    for (Path jar : release.jars()) {
      child.classpathEntry(jar);
    }
    AwsSigningExpectations.verify(world, child.run());
  }
}
