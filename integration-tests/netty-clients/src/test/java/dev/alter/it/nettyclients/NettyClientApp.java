package dev.alter.it.nettyclients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One of the scripted apps of this module's app submodules, with the class path it was built on.
 */
enum NettyClientApp {
  ASYNC_HTTP_CLIENT("ahc-app", "dev.alter.it.nettyclients.app.ScriptedAsyncHttpClient"),
  VERTX_WEB_CLIENT("vertx-app", "dev.alter.it.nettyclients.app.ScriptedVertxWebClient");

  private final String module;
  private final String mainClass;

  NettyClientApp(String module, String mainClass) {
    this.module = module;
    this.mainClass = mainClass;
  }

  /** The app under the real agent, trusting the world's certificate and using its hosts file. */
  ChildJvm child(ClientWorld world, String appKey, String... arguments) {
    Path moduleDir = Path.of(System.getProperty("alter.nettyclients.apps", ".")).resolve(module);
    ChildJvm child =
        ChildJvm.create()
            .withAgent()
            .resolver(world.service.baseUrl(), appKey)
            // a loaded machine must not turn a resolve into resolver_unavailable
            .env("ALTER_RESOLVE_TIMEOUT", "30s")
            .trusting(world.certificate)
            .hosts(world.hosts)
            .classpathOf(ChildReport.class)
            .classpathEntry(moduleDir.resolve("target/classes"))
            .main(mainClass, arguments);
    try {
      String classpath = Files.readString(moduleDir.resolve("target/app-classpath.txt")).trim();
      Arrays.stream(classpath.split(java.io.File.pathSeparator))
          .map(Path::of)
          .forEach(child::classpathEntry);
    } catch (IOException e) {
      throw new UncheckedIOException(module + " is not built (run through Maven)", e);
    }
    assertThat(moduleDir.resolve("target/classes")).isDirectory();
    return child;
  }
}
