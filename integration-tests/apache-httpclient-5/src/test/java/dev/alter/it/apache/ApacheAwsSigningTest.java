package dev.alter.it.apache;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/**
 * The AWS signing contract for an Apache HttpClient 5 app. The classic client hands the agent its
 * entity and the async clients (HTTP/1.1 and HTTP/2) the entity producer they commit, so repeatable
 * bodies are hashed and one-shot ones count as streamed (S3: UNSIGNED-PAYLOAD, any other service:
 * body_not_signable before anything is sent). HttpCore 5.1 cannot replay every producer intact
 * (HTTPCORE-733), so on client 5.1.4 (core 5.1.5) async bodies count as streamed.
 */
class ApacheAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(
        app(ApacheClientVersion.V5_1, "classic", JavaRuntime.JDK_17),
        app(ApacheClientVersion.V5_6, "classic", JavaRuntime.JDK_17),
        app(ApacheClientVersion.V5_6, "async-http1", JavaRuntime.JDK_17),
        app(ApacheClientVersion.V5_6, "async-http2", JavaRuntime.JDK_17),
        app(ApacheClientVersion.V5_6, "async-http1", JavaRuntime.JDK_25),
        app(ApacheClientVersion.V5_6, "async-http2", JavaRuntime.JDK_25),
        app(ApacheClientVersion.V5_1, "async-http1", JavaRuntime.JDK_17).withoutBodyAccess(),
        app(ApacheClientVersion.V5_1, "async-http2", JavaRuntime.JDK_17).withoutBodyAccess());
  }

  private static SigningApp app(ApacheClientVersion version, String mode, JavaRuntime runtime) {
    return SigningApp.of(
        version.exactVersion() + " " + mode + " " + runtime,
        runtime,
        AwsSigningApacheApp.class,
        List.of(mode),
        version.jars());
  }
}
