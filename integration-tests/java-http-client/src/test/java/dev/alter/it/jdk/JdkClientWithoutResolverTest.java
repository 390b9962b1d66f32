package dev.alter.it.jdk;

import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The without-resolver contract for {@code java.net.http.HttpClient}: JDK 17 and 25, send and
 * sendAsync.
 */
class JdkClientWithoutResolverTest
    extends AbstractWithoutResolverContract<JdkClientWithoutResolverTest.Variant> {
  /** One JDK and one client mode ({@code send} or {@code async}). */
  record Variant(JavaRuntime runtime, String mode) {}

  @Override
  protected List<Variant> variants() {
    List<Variant> variants = new ArrayList<>();
    for (JavaRuntime runtime : JavaRuntime.values()) {
      for (String mode : List.of("send", "async")) {
        variants.add(new Variant(runtime, mode));
      }
    }
    return variants;
  }

  @Override
  protected ChildJvm child(Variant variant) {
    return ChildJvm.create()
        .runtime(variant.runtime())
        .main(ScriptedJdkClient.class, variant.mode(), "HTTP_2")
        .trusting(world.certificate)
        .hosts(world.hosts);
  }
}
