package dev.alter.it.nettyclients;

import dev.alter.it.harness.JavaRuntime;

/** The Vert.x web client's coverage, as in {@link VertxWebClientCoverageTest}, on JDK 25. */
class VertxWebClientCoverageJdk25Test extends VertxWebClientCoverageTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
