package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 5.x, {@code Call.enqueue}, HTTP_1_1, on JDK 25. */
class OkHttp5EnqueueHttp11Jdk25Test extends OkHttpClientContract {
  OkHttp5EnqueueHttp11Jdk25Test() {
    super(OkHttpRelease.OKHTTP_5, JavaRuntime.JDK_25, "enqueue", "HTTP_1_1");
  }
}
