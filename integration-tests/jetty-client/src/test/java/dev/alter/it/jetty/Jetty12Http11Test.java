package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 12, HTTP11, on JDK 17. */
class Jetty12Http11Test extends JettyClientContract {
  Jetty12Http11Test() {
    super(JettyRelease.JETTY_12, JavaRuntime.JDK_17, "HTTP11");
  }
}
