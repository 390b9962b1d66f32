package dev.alter.it.jdk.aws;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import org.junit.jupiter.api.Test;

/**
 * Hand-built AWS requests from a {@code java.net.http} app under the real agent, on HTTP/1.1
 * ({@code Http1Request} hook) and HTTP/2 ({@code Stream} + {@code Http2Connection} hooks): each is
 * signed with SigV4 exactly as an independent computation with the stored secret says.
 */
class JdkAwsSigningTest {
  @Test
  void http11RequestsAreSignedEndToEnd() {
    runScenario("HTTP_1_1");
  }

  @Test
  void http2RequestsAreSignedEndToEnd() {
    runScenario("HTTP_2");
  }

  @Test
  void http11RequestsAreSignedEndToEndOnJdk25() {
    runScenario(JavaRuntime.JDK_25, "HTTP_1_1");
  }

  @Test
  void http2RequestsAreSignedEndToEndOnJdk25() {
    runScenario(JavaRuntime.JDK_25, "HTTP_2");
  }

  private static void runScenario(String version) {
    runScenario(JavaRuntime.JDK_17, version);
  }

  private static void runScenario(JavaRuntime runtime, String version) {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    String[] args = world.scenarioArguments();
    ChildResult result = world.child(runtime)
        .main(AwsSigningJdkApp.class, args[0], args[1], version)
        .classpathOf(ChildReport.class)
        .run();
    AwsSigningExpectations.verify(world, result);
  }
}
