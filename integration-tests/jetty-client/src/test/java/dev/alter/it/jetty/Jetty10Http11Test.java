package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 10, HTTP11, on JDK 17. */
class Jetty10Http11Test extends JettyClientContract {
  Jetty10Http11Test() {
    super(JettyRelease.JETTY_10, JavaRuntime.JDK_17, "HTTP11");
  }
}
