package dev.alter.it.nettyclients;

import dev.alter.it.harness.JavaRuntime;

/** {@link VertxWebClientHttp2CoverageTest} with the app on JDK 25. */
class VertxWebClientHttp2OnJdk25CoverageTest extends VertxWebClientHttp2CoverageTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
