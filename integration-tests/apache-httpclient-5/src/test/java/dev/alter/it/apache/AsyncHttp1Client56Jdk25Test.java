package dev.alter.it.apache;

import dev.alter.it.harness.JavaRuntime;

/** Apache HttpAsyncClient 5.6, HTTP/1.1 over TLS, JDK 25. */
class AsyncHttp1Client56Jdk25Test extends ApacheHttpClientContract {
  AsyncHttp1Client56Jdk25Test() {
    super(JavaRuntime.JDK_25, ApacheClientVersion.V5_6, "async-http1");
  }
}
