package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 17, {@code HttpClient.sendAsync}, HTTP_2. */
class Jdk17AsyncHttp2Test extends JdkHttpClientContract {
  Jdk17AsyncHttp2Test() {
    super(JavaRuntime.JDK_17, "async", "HTTP_2");
  }
}
