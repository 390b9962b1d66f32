package dev.alter.it.apache4;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpClient 4.5.13 on JDK 17. */
class Apache4513Jdk17Test extends Apache4Contract {
  Apache4513Jdk17Test() {
    super(JavaRuntime.JDK_17, Apache4Version.V4_5_13);
  }
}
