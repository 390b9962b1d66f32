package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 12, H2, on JDK 17. */
class Jetty12Http2Test extends JettyClientContract {
  Jetty12Http2Test() {
    super(JettyRelease.JETTY_12, JavaRuntime.JDK_17, "H2");
  }
}
