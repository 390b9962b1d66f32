package dev.alter.it.jetty;

import dev.alter.it.harness.JavaRuntime;

/** Jetty 11, HTTP11, on JDK 25. */
class Jetty11Http11Jdk25Test extends JettyClientContract {
  Jetty11Http11Jdk25Test() {
    super(JettyRelease.JETTY_11, JavaRuntime.JDK_25, "HTTP11");
  }
}
