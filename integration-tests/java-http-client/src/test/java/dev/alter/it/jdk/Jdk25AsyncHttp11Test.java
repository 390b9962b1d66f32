package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 25, {@code HttpClient.sendAsync}, HTTP_1_1. */
class Jdk25AsyncHttp11Test extends JdkHttpClientContract {
  Jdk25AsyncHttp11Test() {
    super(JavaRuntime.JDK_25, "async", "HTTP_1_1");
  }
}
