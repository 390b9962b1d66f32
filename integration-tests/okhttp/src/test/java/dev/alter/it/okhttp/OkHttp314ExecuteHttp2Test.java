package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.14, {@code Call.execute}, HTTP_2, on JDK 17. */
class OkHttp314ExecuteHttp2Test extends OkHttpClientContract {
  OkHttp314ExecuteHttp2Test() {
    super(OkHttpRelease.OKHTTP_3_14, JavaRuntime.JDK_17, "execute", "HTTP_2");
  }
}
