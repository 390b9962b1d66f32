package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 25, {@code HttpClient.send}, HTTP_2. */
class Jdk25SendHttp2Test extends JdkHttpClientContract {
  Jdk25SendHttp2Test() {
    super(JavaRuntime.JDK_25, "send", "HTTP_2");
  }
}
