package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpAsyncClient 5.6, HTTP/2 over TLS, JDK 17. */
class AsyncHttp2Client56Test extends ApacheHttpClientContract {
  AsyncHttp2Client56Test() {
    super(JavaRuntime.JDK_17, ApacheClientVersion.V5_6, "async-http2");
  }
}
