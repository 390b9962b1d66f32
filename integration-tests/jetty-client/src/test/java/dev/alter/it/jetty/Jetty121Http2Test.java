package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 12.1, H2, on JDK 17. */
class Jetty121Http2Test extends JettyClientContract {
  Jetty121Http2Test() {
    super(JettyRelease.JETTY_12_1, JavaRuntime.JDK_17, "H2");
  }
}
