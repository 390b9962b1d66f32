package dev.alter.it.apache;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AwsSigningExpectations;
import dev.alter.it.harness.AwsSigningWorld;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Hand-built AWS requests from an Apache HttpClient 5 app under the real agent: each request that
 * goes out is signed with SigV4 exactly as an independent computation with the stored secret says.
 * The classic client hands the agent its entity, so bodies are hashed; the async clients' writers
 * see only the header block, so their bodies count as streamed (S3: UNSIGNED-PAYLOAD, any other
 * service: body_not_signable before anything is sent).
 */
class ApacheAwsSigningTest {
  @Test
  void classic51SignsEndToEnd() {
    AwsSigningExpectations.verify(AwsSigningWorld.get(), run(ApacheClientVersion.V5_1, "classic"));
  }

  @Test
  void classic56SignsEndToEnd() {
    AwsSigningExpectations.verify(AwsSigningWorld.get(), run(ApacheClientVersion.V5_6, "classic"));
  }

  @Test
  void async56Http1SignsWhatItCanAndRefusesWhatItCannot() {
    AwsSigningExpectations.verifyWithoutBodyAccess(AwsSigningWorld.get(), run(ApacheClientVersion.V5_6, "async-http1"));
  }

  @Test
  void async56Http2SignsWhatItCanAndRefusesWhatItCannot() {
    AwsSigningExpectations.verifyWithoutBodyAccess(AwsSigningWorld.get(), run(ApacheClientVersion.V5_6, "async-http2"));
  }

  private static ChildResult run(ApacheClientVersion version, String mode) {
    AwsSigningWorld world = AwsSigningWorld.get();
    world.aws.clear();
    String[] args = world.scenarioArguments();
    ChildJvm child = world.child(JavaRuntime.JDK_17)
        .main(AwsSigningApacheApp.class, args[0], args[1], mode)
        .classpathOf(ChildReport.class);
    for (Path jar : version.jars()) {
      child.classpathEntry(jar);
    }
    return child.run();
  }
}
