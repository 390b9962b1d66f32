package dev.alter.it.apache4;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Hand-built AWS requests from an Apache HttpClient 4.5 app under the real agent: each is signed
 * with SigV4 exactly as an independent computation with the stored secret says.
 */
class Apache4AwsSigningTest {
  @Test
  void httpClient4514SignsEndToEnd() {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    String[] args = world.scenarioArguments();
    ChildJvm child = world.child(JavaRuntime.JDK_17)
        .main(AwsSigningApache4App.class, args[0], args[1])
        .classpathOf(ChildReport.class);
    for (Path jar : Apache4Version.V4_5_14.jars()) {
      child.classpathEntry(jar);
    }
    AwsSigningExpectations.verify(world, child.run());
  }
}
