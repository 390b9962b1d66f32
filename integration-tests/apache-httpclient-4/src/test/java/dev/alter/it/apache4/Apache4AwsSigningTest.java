package dev.alter.it.apache4;

import dev.alter.it.contract.AbstractAwsSigningContract;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/** The AWS signing contract for an Apache HttpClient 4.5.14 app. */
class Apache4AwsSigningTest extends AbstractAwsSigningContract {
  @Override
  protected List<SigningApp> signingApps() {
    return List.of(
        SigningApp.of(
            "4.5.14",
            JavaRuntime.JDK_17,
            AwsSigningApache4App.class,
            List.of(),
            Apache4Version.V4_5_14.jars()));
  }
}
