package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 12, H2, on JDK 25. */
class Jetty12Http2Jdk25Test extends JettyClientContract {
  Jetty12Http2Jdk25Test() {
    super(JettyRelease.JETTY_12, JavaRuntime.JDK_25, "H2");
  }
}
