package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 3.12 (legacy codecs), {@code Call.enqueue}, HTTP_2, on JDK 17. */
class OkHttp312EnqueueHttp2Test extends OkHttpClientContract {
  OkHttp312EnqueueHttp2Test() {
    super(OkHttpRelease.OKHTTP_3_12, JavaRuntime.JDK_17, "enqueue", "HTTP_2");
  }
}
