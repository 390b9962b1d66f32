package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.12 (legacy codecs), {@code Call.execute}, HTTP_2, on JDK 17. */
class OkHttp312ExecuteHttp2Test extends OkHttpClientContract {
  OkHttp312ExecuteHttp2Test() {
    super(OkHttpRelease.OKHTTP_3_12, JavaRuntime.JDK_17, "execute", "HTTP_2");
  }
}
