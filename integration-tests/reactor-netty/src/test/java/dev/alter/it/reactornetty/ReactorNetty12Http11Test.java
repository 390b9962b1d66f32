package dev.alter.it.reactornetty;

import dev.alter.it.harness.JavaRuntime;

/** Reactor Netty 1.2, HTTP11, on JDK 17. */
class ReactorNetty12Http11Test extends ReactorNettyClientContract {
  ReactorNetty12Http11Test() {
    super(ReactorNettyRelease.REACTOR_NETTY_1_2, JavaRuntime.JDK_17, "HTTP11");
  }
}
