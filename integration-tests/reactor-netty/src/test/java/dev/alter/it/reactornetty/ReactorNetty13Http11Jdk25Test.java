package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.3, HTTP11, on JDK 25. */
class ReactorNetty13Http11Jdk25Test extends ReactorNettyClientContract {
  ReactorNetty13Http11Jdk25Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_3, JavaRuntime.JDK_25, "HTTP11");
  }
}
