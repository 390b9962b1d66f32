package dev.alter.it.urlconnection;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.JavaRuntime;
import org.junit.jupiter.api.Test;

/**
 * Hand-built AWS requests from an {@code HttpURLConnection} app under the real agent: the buffered
 * body (the JDK's poster) is hashed, the fixed-length streamed upload to S3 goes as
 * {@code UNSIGNED-PAYLOAD}, and each request is signed with SigV4 exactly as an independent
 * computation with the stored secret says.
 */
class UrlConnectionAwsSigningTest {
  @Test
  void bufferedAndStreamedRequestsAreSignedEndToEnd() {
    runScenario(JavaRuntime.JDK_17);
  }

  @Test
  void bufferedAndStreamedRequestsAreSignedEndToEndOnJdk25() {
    runScenario(JavaRuntime.JDK_25);
  }

  private static void runScenario(JavaRuntime runtime) {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    String[] args = world.scenarioArguments();
    AwsSigningExpectations.verify(world, world.child(runtime)
        .main(AwsSigningUrlConnectionApp.class, args[0], args[1])
        .classpathOf(ChildReport.class)
        .run());
  }
}
