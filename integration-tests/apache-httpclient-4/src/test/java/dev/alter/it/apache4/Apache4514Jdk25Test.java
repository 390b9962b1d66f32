package dev.alter.it.apache4;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpClient 4.5.14 on JDK 25. */
class Apache4514Jdk25Test extends Apache4Contract {
  Apache4514Jdk25Test() {
    super(JavaRuntime.JDK_25, Apache4Version.V4_5_14);
  }
}
