package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 5.x, {@code Call.execute}, HTTP_2, on JDK 25. */
class OkHttp5ExecuteHttp2Jdk25Test extends OkHttpClientContract {
  OkHttp5ExecuteHttp2Jdk25Test() {
    super(OkHttpRelease.OKHTTP_5, JavaRuntime.JDK_25, "execute", "HTTP_2");
  }
}
