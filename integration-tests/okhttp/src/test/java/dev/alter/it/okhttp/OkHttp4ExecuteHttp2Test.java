package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.execute}, HTTP_2, on JDK 17. */
class OkHttp4ExecuteHttp2Test extends OkHttpClientContract {
  OkHttp4ExecuteHttp2Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_17, "execute", "HTTP_2");
  }
}
