package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpClient 5.1 classic, JDK 17. */
class Classic51Test extends ApacheClassicContract {
  Classic51Test() {
    super(JavaRuntime.JDK_17, ApacheClientVersion.V5_1);
  }
}
