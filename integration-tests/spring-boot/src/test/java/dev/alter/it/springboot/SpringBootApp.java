package dev.alter.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The Spring Boot application's executable jar (module {@code spring-boot/app}), started with
 * {@code java -jar} under the real agent, trusting the world's certificate and resolving its
 * provider names through the world's hosts file.
 */
final class SpringBootApp {
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

  private SpringBootApp() {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("alter.springboot.app.jar", "missing"));
    assertThat(Files.isRegularFile(jar))
        .as(
            "%s is built by the spring-boot/app module (mvn -pl integration-tests/spring-boot -am)",
            jar)
        .isTrue();
    return jar;
  }

  /**
   * Starts the app on this JDK under the agent with this app key, and checks it came up as a fat
   * jar.
   */
  static RunningChild start(ClientWorld world, JavaRuntime runtime, String appKey) {
    RunningChild app =
        ChildJvm.create()
            .runtime(runtime)
            .withAgent()
            .resolver(world.service.baseUrl(), appKey)
            // a loaded machine must not turn a resolve into resolver_unavailable
            .env("ALTER_RESOLVE_TIMEOUT", "30s")
            .trusting(world.certificate)
            .hosts(world.hosts)
            .executableJar(jar())
            .start();
    JsonNode ready = app.nextReport(Duration.ofSeconds(180));
    assertThat(ready.path("spring_boot_version").asText()).as(app.describe()).startsWith("3.5.");
    assertThat(ready.path("java_version").asInt())
        .isEqualTo(runtime == JavaRuntime.JDK_17 ? 17 : 25);
    // Boot's launcher loaded the app from nested jars
    assertThat(ready.path("app_class_loader").asText())
        .isEqualTo("org.springframework.boot.loader.launch.LaunchedClassLoader");
    // Boot's auto-configured RestTemplateBuilder detects Apache HttpClient 5 on the class path
    assertThat(ready.path("factories").path("resttemplate").asText())
        .isEqualTo("org.springframework.http.client.HttpComponentsClientHttpRequestFactory");
    return app;
  }

  /** One GET through the named client, tagged with the grant; answers the app's report. */
  static JsonNode call(RunningChild app, String client, String url, String grant) {
    return app.ask("call " + client + " " + url + " " + grant, CALL_TIMEOUT);
  }

  /** The requests the server received at this path. */
  static List<RecordedRequest> received(ClientWorld world, String path) {
    return world.provider.requests().stream().filter(r -> r.target().equals(path)).toList();
  }
}
