package dev.alter.it.jdk;

import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.harness.JavaRuntime;

/** JDK 17, {@code HttpClient.send}, HTTP_1_1. */
class Jdk17SendHttp11Test extends JdkHttpClientContract {
  Jdk17SendHttp11Test() {
    super(JavaRuntime.JDK_17, "send", "HTTP_1_1");
  }

  @Override
  protected void configure(ClientContractOptions options) {
    super.configure(options);
    options.timedPolicyCases(true).policyWindowClose(true);
  }
}
