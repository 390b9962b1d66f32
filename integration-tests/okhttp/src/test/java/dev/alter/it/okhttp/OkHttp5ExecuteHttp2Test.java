package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 5.x, {@code Call.execute}, HTTP_2, on JDK 17. */
class OkHttp5ExecuteHttp2Test extends OkHttpClientContract {
  OkHttp5ExecuteHttp2Test() {
    super(OkHttpRelease.OKHTTP_5, JavaRuntime.JDK_17, "execute", "HTTP_2");
  }
}
