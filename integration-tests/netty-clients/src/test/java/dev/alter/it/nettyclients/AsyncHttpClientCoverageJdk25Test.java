package dev.alter.it.nettyclients;

import dev.alter.it.harness.JavaRuntime;

/** AsyncHttpClient's coverage, as in {@link AsyncHttpClientCoverageTest}, on JDK 25. */
class AsyncHttpClientCoverageJdk25Test extends AsyncHttpClientCoverageTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
