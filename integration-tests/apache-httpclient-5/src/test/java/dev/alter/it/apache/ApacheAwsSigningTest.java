package dev.alter.it.apache;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/**
 * The AWS signing contract for an Apache HttpClient 5 app. The classic client hands the agent its
 * entity, so bodies are hashed; the async clients' writers see only the header block, so their
 * bodies count as streamed (S3: UNSIGNED-PAYLOAD, any other service: body_not_signable before
 * anything is sent).
 */
class ApacheAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(
        app(ApacheClientVersion.V5_1, "classic"),
        app(ApacheClientVersion.V5_6, "classic"),
        app(ApacheClientVersion.V5_6, "async-http1").withoutBodyAccess(),
        app(ApacheClientVersion.V5_6, "async-http2").withoutBodyAccess());
  }

  private static SigningApp app(ApacheClientVersion version, String mode) {
    return SigningApp.of(
        version.exactVersion() + " " + mode,
        JavaRuntime.JDK_17,
        AwsSigningApacheApp.class,
        List.of(mode),
        version.jars());
  }
}
