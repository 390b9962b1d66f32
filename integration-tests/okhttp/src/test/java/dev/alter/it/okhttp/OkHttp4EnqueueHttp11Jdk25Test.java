package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.enqueue}, HTTP_1_1, on JDK 25. */
class OkHttp4EnqueueHttp11Jdk25Test extends OkHttpClientContract {
  OkHttp4EnqueueHttp11Jdk25Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_25, "enqueue", "HTTP_1_1");
  }
}
