package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpAsyncClient 5.6, HTTP/1.1 over TLS, JDK 17. */
class AsyncHttp1Client56Test extends ApacheHttpClientContract {
  AsyncHttp1Client56Test() {
    super(JavaRuntime.JDK_17, ApacheClientVersion.V5_6, "async-http1");
  }
}
