package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.14, {@code Call.enqueue}, HTTP_2, on JDK 17. */
class OkHttp314EnqueueHttp2Test extends OkHttpClientContract {
  OkHttp314EnqueueHttp2Test() {
    super(OkHttpRelease.OKHTTP_3_14, JavaRuntime.JDK_17, "enqueue", "HTTP_2");
  }
}
