package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.12 (legacy codecs), {@code Call.execute}, HTTP_1_1, on JDK 17. */
class OkHttp312ExecuteHttp11Test extends OkHttpClientContract {
  OkHttp312ExecuteHttp11Test() {
    super(OkHttpRelease.OKHTTP_3_12, JavaRuntime.JDK_17, "execute", "HTTP_1_1");
  }
}
