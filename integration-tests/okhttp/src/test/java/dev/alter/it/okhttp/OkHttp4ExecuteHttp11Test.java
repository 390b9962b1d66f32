package dev.alter.it.okhttp;

import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.harness.JavaRuntime;

/** OkHttp 4.x, {@code Call.execute}, HTTP_1_1, on JDK 17. */
class OkHttp4ExecuteHttp11Test extends OkHttpClientContract {
  OkHttp4ExecuteHttp11Test() {
    super(OkHttpRelease.OKHTTP_4, JavaRuntime.JDK_17, "execute", "HTTP_1_1");
  }

  @Override
  protected void configure(ClientContractOptions options) {
    super.configure(options);
    options.timedPolicyCases(true);
  }
}
