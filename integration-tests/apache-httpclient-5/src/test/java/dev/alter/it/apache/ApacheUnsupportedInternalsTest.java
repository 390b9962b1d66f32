package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RewrittenJar;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Apache HttpClient 5.6 on an HttpCore 5 whose internals the agent's hooks do not fit, on JDK 17
 * and 25: the classic client with the blocking header writer's {@code write} renamed (callers too),
 * and the async client with an overload added to the non-blocking header writer that the advice
 * cannot bind, so weaving that class fails. Either way a tagged request fails at the client's entry
 * point with {@code client_not_supported}, nothing reaches any server, untagged requests still
 * work, and the agent's WARNING names the module and the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApacheUnsupportedInternalsTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(40);
  private static final String IO_WRITER = "org/apache/hc/core5/http/impl/io/AbstractMessageWriter";
  private static final String NIO_WRITER =
      "org.apache.hc.core5.http.impl.nio.AbstractMessageWriter";

  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private static Path httpcore(List<Path> jars) {
    return jars.stream()
        .filter(j -> j.getFileName().toString().startsWith("httpcore5-5"))
        .findFirst()
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void classicClientWithRenamedHeaderWriterFailsTaggedRequestsClosed(JavaRuntime runtime) {
    List<Path> jars = ApacheClientVersion.V5_6.jars();
    Path renamed =
        RewrittenJar.renameMethod(
            httpcore(jars),
            Path.of("target", "rewritten", "httpcore5-renamed-writer.jar"),
            Set.of(
                "org/apache/hc/core5/http/io/HttpMessageWriter",
                IO_WRITER,
                "org/apache/hc/core5/http/impl/io/DefaultHttpRequestWriter",
                "org/apache/hc/core5/http/impl/io/DefaultHttpResponseWriter"),
            "write",
            "(Lorg/apache/hc/core5/http/HttpMessage;Lorg/apache/hc/core5/http/io/SessionOutputBuffer;"
                + "Ljava/io/OutputStream;)V",
            "writeHead");
    assertFailsClosed(
        runtime,
        RewrittenJar.replacing(jars, "httpcore5-5", renamed),
        "classic",
        "Apache HttpClient 5 (classic)",
        "org.apache.hc.core5.http.impl.io.AbstractMessageWriter has no method");
  }

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void asyncClientWhoseHeaderWriterCannotBeWovenFailsTaggedRequestsClosed(JavaRuntime runtime) {
    List<Path> jars = ApacheClientVersion.V5_6.jars();
    Path unweavable =
        RewrittenJar.padMethod(
            httpcore(jars),
            Path.of("target", "rewritten", "httpcore5-unweavable-writer.jar"),
            NIO_WRITER,
            "write",
            "(Lorg/apache/hc/core5/http/HttpMessage;Lorg/apache/hc/core5/http/nio/SessionOutputBuffer;)V",
            65_200);
    assertFailsClosed(
        runtime,
        RewrittenJar.replacing(jars, "httpcore5-5", unweavable),
        "async-http1",
        "Apache HttpClient 5 (async)",
        "could not instrument " + NIO_WRITER);
  }

  private void assertFailsClosed(
      JavaRuntime runtime, List<Path> jars, String mode, String client, String warning) {
    Path log =
        SharedResolverService.workDirectory("apache-unsupported-" + mode + "-" + runtime)
            .resolve("app.log");
    try (RunningChild app =
        ApacheChild.configure(world, runtime, jars, mode, log)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey)
            .start()) {
      app.nextReport(Duration.ofSeconds(30));
      JsonNode tagged =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/x")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      JsonNode error = tagged.path("error");
      assertThat(error.path("code").asText())
          .as("%s\n%s", tagged, app.stderr())
          .isEqualTo("client_not_supported");
      assertThat(error.path("is_io_exception").asBoolean()).isTrue();
      assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
      assertThat(error.path("message").asText()).contains(client, "Fix:", "5.0 to 5.6");
      assertThat(world.requestsReceivedEverywhere())
          .as("requests that reached any server")
          .isZero();

      JsonNode untagged =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/y").header("X-Plain", "1").toLine(),
              ANSWER_TIMEOUT);
      assertThat(untagged.path("status").asInt())
          .as("%s\n%s", untagged, app.stderr())
          .isEqualTo(200);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.header("X-Plain")).isEqualTo("1");
      assertThat(app.stderr()).contains("instrumentation module apache-httpclient-5", warning);
    }
  }
}
