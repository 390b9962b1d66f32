package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.14, {@code Call.execute}, HTTP_2, on JDK 25. */
class OkHttp314ExecuteHttp2Jdk25Test extends OkHttpClientContract {
  OkHttp314ExecuteHttp2Jdk25Test() {
    super(OkHttpRelease.OKHTTP_3_14, JavaRuntime.JDK_25, "execute", "HTTP_2");
  }
}
