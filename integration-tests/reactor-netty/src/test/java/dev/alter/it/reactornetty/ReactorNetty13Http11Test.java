package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.3, HTTP11, on JDK 17. */
class ReactorNetty13Http11Test extends ReactorNettyClientContract {
  ReactorNetty13Http11Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_3, JavaRuntime.JDK_17, "HTTP11");
  }
}
