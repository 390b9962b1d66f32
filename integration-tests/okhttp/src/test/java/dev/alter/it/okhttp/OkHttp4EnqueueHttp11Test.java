package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.enqueue}, HTTP_1_1, on JDK 17. */
class OkHttp4EnqueueHttp11Test extends OkHttpClientContract {
  OkHttp4EnqueueHttp11Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_17, "enqueue", "HTTP_1_1");
  }
}
