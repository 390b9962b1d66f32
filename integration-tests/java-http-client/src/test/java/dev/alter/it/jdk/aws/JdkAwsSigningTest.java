package dev.alter.it.jdk.aws;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The AWS signing contract for a {@code java.net.http} app, on HTTP/1.1 ({@code Http1Request} hook)
 * and HTTP/2 ({@code Stream} + {@code Http2Connection} hooks), on JDK 17 and 25.
 */
class JdkAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    List<SigningApp> apps = new ArrayList<>();
    for (JavaRuntime runtime : JavaRuntime.values()) {
      for (String version : List.of("HTTP_1_1", "HTTP_2")) {
        apps.add(
            SigningApp.of(
                runtime + " " + version,
                runtime,
                AwsSigningJdkApp.class,
                List.of(version),
                List.of()));
      }
    }
    return apps;
  }
}
