package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpClient 5.6 classic, JDK 25. */
class Classic56Jdk25Test extends ApacheClassicContract {
  Classic56Jdk25Test() {
    super(JavaRuntime.JDK_25, ApacheClientVersion.V5_6);
  }
}
