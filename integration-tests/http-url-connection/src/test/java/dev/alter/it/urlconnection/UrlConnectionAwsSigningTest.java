package dev.alter.it.urlconnection;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/**
 * The AWS signing contract for an {@code HttpURLConnection} app: the buffered body (the JDK's
 * poster) is hashed, the fixed-length streamed upload to S3 goes as {@code UNSIGNED-PAYLOAD}.
 */
class UrlConnectionAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(app(JavaRuntime.JDK_17), app(JavaRuntime.JDK_25));
  }

  private static SigningApp app(JavaRuntime runtime) {
    return SigningApp.of(
        runtime.toString(), runtime, AwsSigningUrlConnectionApp.class, List.of(), List.of());
  }
}
