package dev.alter.it.jetty;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/**
 * The AWS signing contract for a Jetty HttpClient app: bytes contents are hashed (Jetty 12: the
 * buffers its {@code ByteBufferContentSource} slices; 10 and 11: a subscription of the agent's own
 * to the reproducible content), an input-stream content counts as streamed (S3: UNSIGNED-PAYLOAD,
 * any other service: body_not_signable before anything is sent).
 */
class JettyAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(
        app(JettyRelease.JETTY_11, "HTTP11", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_11, "H2", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_12, "HTTP11", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_12, "H2", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_10, "HTTP11", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_12_1, "H2", JavaRuntime.JDK_17),
        app(JettyRelease.JETTY_12, "HTTP11", JavaRuntime.JDK_25),
        app(JettyRelease.JETTY_11, "H2", JavaRuntime.JDK_25));
  }

  private static SigningApp app(JettyRelease release, String protocol, JavaRuntime runtime) {
    return SigningApp.ofSource(
        "Jetty " + release.version + " " + protocol + " " + runtime,
        runtime,
        release.awsSigningApp(),
        List.of(protocol),
        release.jars());
  }
}
