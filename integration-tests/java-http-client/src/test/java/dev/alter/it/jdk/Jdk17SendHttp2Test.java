package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 17, {@code HttpClient.send}, HTTP_2. */
class Jdk17SendHttp2Test extends JdkHttpClientContract {
  Jdk17SendHttp2Test() {
    super(JavaRuntime.JDK_17, "send", "HTTP_2");
  }
}
