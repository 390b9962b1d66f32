package dev.alter.it.reactornetty;

import dev.alter.it.harness.ClientJars;
import java.nio.file.Path;
import java.util.List;

/** The Reactor Netty releases under test and their runtime jars, copied by this module's pom. */
enum ReactorNettyRelease {
  /** On Netty 4.1, with Reactor Core 3.5. */
  REACTOR_NETTY_1_1("1.1.28", "4.1.119.Final"),
  /** On Netty 4.1. */
  REACTOR_NETTY_1_2("1.2.18", "4.1.135.Final"),
  /** On Netty 4.2. */
  REACTOR_NETTY_1_3("1.3.7", "4.2.17.Final");

  final String version;
  final String nettyVersion;

  ReactorNettyRelease(String version, String nettyVersion) {
    this.version = version;
    this.nettyVersion = nettyVersion;
  }

  List<Path> jars() {
    return ClientJars.in("alter.reactornetty.clients", "reactor-netty-" + version);
  }
}
