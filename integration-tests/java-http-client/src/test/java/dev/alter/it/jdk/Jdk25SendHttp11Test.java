package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 25, {@code HttpClient.send}, HTTP_1_1. */
class Jdk25SendHttp11Test extends JdkHttpClientContract {
  Jdk25SendHttp11Test() {
    super(JavaRuntime.JDK_25, "send", "HTTP_1_1");
  }
}
