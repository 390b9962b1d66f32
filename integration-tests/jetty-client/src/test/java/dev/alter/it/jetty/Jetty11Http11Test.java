package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 11, HTTP11, on JDK 17. */
class Jetty11Http11Test extends JettyClientContract {
  Jetty11Http11Test() {
    super(JettyRelease.JETTY_11, JavaRuntime.JDK_17, "HTTP11");
  }
}
