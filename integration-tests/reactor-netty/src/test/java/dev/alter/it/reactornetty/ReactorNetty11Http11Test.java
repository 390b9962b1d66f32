package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.1, HTTP11, on JDK 17. */
class ReactorNetty11Http11Test extends ReactorNettyClientContract {
  ReactorNetty11Http11Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_1, JavaRuntime.JDK_17, "HTTP11");
  }
}
