package dev.alter.it.nettyclients;

import dev.alter.it.harness.JavaRuntime;

/** {@link AsyncHttpClientHttp2CoverageTest} with the app on JDK 25. */
class AsyncHttpClientHttp2OnJdk25CoverageTest extends AsyncHttpClientHttp2CoverageTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
