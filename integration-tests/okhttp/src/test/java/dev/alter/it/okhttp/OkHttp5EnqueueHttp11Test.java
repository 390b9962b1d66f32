package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 5.x, {@code Call.enqueue}, HTTP_1_1, on JDK 17. */
class OkHttp5EnqueueHttp11Test extends OkHttpClientContract {
  OkHttp5EnqueueHttp11Test() {
    super(OkHttpRelease.OKHTTP_5, JavaRuntime.JDK_17, "enqueue", "HTTP_1_1");
  }
}
