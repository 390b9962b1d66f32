package dev.alter.it.apache;

import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.harness.JavaRuntime;

/** Apache HttpClient 5.6 classic, JDK 17. */
class Classic56Test extends ApacheClassicContract {
  Classic56Test() {
    super(JavaRuntime.JDK_17, ApacheClientVersion.V5_6);
  }

  @Override
  protected void configure(ClientContractOptions options) {
    super.configure(options);
    options.timedPolicyCases(true);
  }
}
