package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpAsyncClient 5.1, HTTP/2 over TLS, JDK 17. */
class AsyncHttp2Client51Test extends ApacheHttpClientContract {
  AsyncHttp2Client51Test() {
    super(JavaRuntime.JDK_17, ApacheClientVersion.V5_1, "async-http2");
  }
}
