package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 11, H2, on JDK 17. */
class Jetty11Http2Test extends JettyClientContract {
  Jetty11Http2Test() {
    super(JettyRelease.JETTY_11, JavaRuntime.JDK_17, "H2");
  }
}
