package dev.alter.it.okhttp;

import dev.alter.it.harness.JavaRuntime;

/** OkHttp 5.x, {@code Call.enqueue}, HTTP_2, on JDK 17. */
class OkHttp5EnqueueHttp2Test extends OkHttpClientContract {
  OkHttp5EnqueueHttp2Test() {
    super(OkHttpRelease.OKHTTP_5, JavaRuntime.JDK_17, "enqueue", "HTTP_2");
  }
}
