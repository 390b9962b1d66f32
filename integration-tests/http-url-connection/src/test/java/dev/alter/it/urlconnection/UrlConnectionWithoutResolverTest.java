package dev.alter.it.urlconnection;

import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractWithoutResolverContract;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.JavaRuntime;
import java.util.List;

/** The without-resolver contract for {@code HttpURLConnection} on JDK 17 and 25. */
class UrlConnectionWithoutResolverTest extends AbstractWithoutResolverContract<JavaRuntime> {
  @Override
  protected List<JavaRuntime> variants() {
    return List.of(JavaRuntime.values());
  }

  @Override
  protected ChildJvm child(JavaRuntime runtime) {
    return ChildJvm.create()
        .runtime(runtime)
        .main(ScriptedUrlConnectionClient.class)
        .classpathOf(ChildReport.class)
        .trusting(world.certificate)
        .hosts(world.hosts);
  }
}
