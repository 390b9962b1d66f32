package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.12 (legacy codecs), {@code Call.enqueue}, HTTP_1_1, on JDK 17. */
class OkHttp312EnqueueHttp11Test extends OkHttpClientContract {
  OkHttp312EnqueueHttp11Test() {
    super(OkHttpRelease.OKHTTP_3_12, JavaRuntime.JDK_17, "enqueue", "HTTP_1_1");
  }
}
