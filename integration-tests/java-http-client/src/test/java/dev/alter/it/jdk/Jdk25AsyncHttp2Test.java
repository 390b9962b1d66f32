package dev.alter.it.jdk;

import dev.alter.it.harness.JavaRuntime;

/** JDK 25, {@code HttpClient.sendAsync}, HTTP_2. */
class Jdk25AsyncHttp2Test extends JdkHttpClientContract {
  Jdk25AsyncHttp2Test() {
    super(JavaRuntime.JDK_25, "async", "HTTP_2");
  }
}
