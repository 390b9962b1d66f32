package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 10, H2, on JDK 17. */
class Jetty10Http2Test extends JettyClientContract {
  Jetty10Http2Test() {
    super(JettyRelease.JETTY_10, JavaRuntime.JDK_17, "H2");
  }
}
