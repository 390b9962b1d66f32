package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.enqueue}, HTTP_2, on JDK 17. */
class OkHttp4EnqueueHttp2Test extends OkHttpClientContract {
  OkHttp4EnqueueHttp2Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_17, "enqueue", "HTTP_2");
  }
}
