package dev.alter.it.okhttp;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.okhttp.app.AwsSigningOkHttpApp;
import java.util.List;

/**
 * The AWS signing contract for an OkHttp app, through the legacy codec hook (3.5, 3.11, 3.12:
 * bodies hashed only when they are OkHttp's own, as those releases cannot say a body is one-shot)
 * and the {@code Exchange} hook (3.14, 4.x, 5.x), on HTTP/1.1 and HTTP/2.
 */
class OkHttpAwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(
        app(OkHttpRelease.OKHTTP_3_5, "HTTP_1_1"),
        app(OkHttpRelease.OKHTTP_3_11, "HTTP_1_1"),
        app(OkHttpRelease.OKHTTP_3_11, "HTTP_2"),
        app(OkHttpRelease.OKHTTP_3_12, "HTTP_1_1"),
        app(OkHttpRelease.OKHTTP_3_12, "HTTP_2"),
        app(OkHttpRelease.OKHTTP_3_14, "HTTP_1_1"),
        app(OkHttpRelease.OKHTTP_4, "HTTP_2"),
        app(OkHttpRelease.OKHTTP_5, "HTTP_1_1"),
        app(OkHttpRelease.OKHTTP_5, "HTTP_2"));
  }

  private static SigningApp app(OkHttpRelease release, String protocol) {
    return SigningApp.of(
        release + " " + protocol,
        JavaRuntime.JDK_17,
        AwsSigningOkHttpApp.class,
        List.of(protocol),
        release.jars());
  }
}
