package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.3, H2, on JDK 17. */
class ReactorNetty13Http2Test extends ReactorNettyClientContract {
  ReactorNetty13Http2Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_3, JavaRuntime.JDK_17, "H2");
  }
}
