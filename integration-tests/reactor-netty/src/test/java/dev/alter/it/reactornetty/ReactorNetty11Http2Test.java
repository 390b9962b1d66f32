package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.1, H2, on JDK 17. */
class ReactorNetty11Http2Test extends ReactorNettyClientContract {
  ReactorNetty11Http2Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_1, JavaRuntime.JDK_17, "H2");
  }
}
