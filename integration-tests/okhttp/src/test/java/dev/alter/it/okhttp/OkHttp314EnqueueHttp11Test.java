package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.14, {@code Call.enqueue}, HTTP_1_1, on JDK 17. */
class OkHttp314EnqueueHttp11Test extends OkHttpClientContract {
  OkHttp314EnqueueHttp11Test() {
    super(OkHttpRelease.OKHTTP_3_14, JavaRuntime.JDK_17, "enqueue", "HTTP_1_1");
  }
}
