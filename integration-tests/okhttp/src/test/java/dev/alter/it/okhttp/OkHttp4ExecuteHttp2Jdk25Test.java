package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.execute}, HTTP_2, on JDK 25. */
class OkHttp4ExecuteHttp2Jdk25Test extends OkHttpClientContract {
  OkHttp4ExecuteHttp2Jdk25Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_25, "execute", "HTTP_2");
  }
}
