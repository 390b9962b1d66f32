package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.14, {@code Call.enqueue}, HTTP_1_1, on JDK 25. */
class OkHttp314EnqueueHttp11Jdk25Test extends OkHttpClientContract {
  OkHttp314EnqueueHttp11Jdk25Test() {
    super(OkHttpRelease.OKHTTP_3_14, JavaRuntime.JDK_25, "enqueue", "HTTP_1_1");
  }
}
