package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 17, {@code HttpClient.sendAsync}, HTTP_1_1. */
class Jdk17AsyncHttp11Test extends JdkHttpClientContract {
  Jdk17AsyncHttp11Test() {
    super(JavaRuntime.JDK_17, "async", "HTTP_1_1");
  }
}
