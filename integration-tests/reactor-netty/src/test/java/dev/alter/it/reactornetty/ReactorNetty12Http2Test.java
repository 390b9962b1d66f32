package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.2, H2, on JDK 17. */
class ReactorNetty12Http2Test extends ReactorNettyClientContract {
  ReactorNetty12Http2Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_2, JavaRuntime.JDK_17, "H2");
  }
}
