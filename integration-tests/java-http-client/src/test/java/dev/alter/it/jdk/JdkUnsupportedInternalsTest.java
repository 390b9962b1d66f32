package dev.alter.it.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.PatchedJdkClass;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JDK HttpClient the agent's HTTP/2 hook cannot be woven into: the JDK's own {@code
 * Http2Connection} patched in with {@code encodeHeadersImpl} padded to the JVM's code-size limit
 * (the client works as before). A tagged request fails at {@code HttpClientImpl} with {@code
 * client_not_supported} naming the client and the class, nothing reaches any server, an untagged
 * request still works, and the agent warned which module and class it could not instrument.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdkUnsupportedInternalsTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
  private static final String HTTP2_CONNECTION = "jdk.internal.net.http.Http2Connection";

  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void taggedRequestFailsClosedWithClientNotSupportedAndUntaggedStillWork(JavaRuntime runtime) {
    String patch =
        PatchedJdkClass.padMethod(
            runtime,
            Path.of("target", "patched-jdk"),
            "java.net.http",
            HTTP2_CONNECTION,
            "encodeHeadersImpl",
            "(I[Ljava/net/http/HttpHeaders;)Ljava/util/List;");
    for (String mode : new String[] {"send", "async"}) {
      ChildJvm child =
          ChildJvm.create()
              .runtime(runtime)
              .jvmArgument(patch)
              .main(ScriptedJdkClient.class, mode, "HTTP_2")
              .trusting(world.certificate)
              .hosts(world.hosts)
              .withAgent()
              .resolver(world.service.baseUrl(), world.app.apiKey);
      try (RunningChild app = child.start()) {
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
            .as("%s: %s", mode, tagged)
            .isEqualTo("client_not_supported");
        assertThat(error.path("is_io_exception").asBoolean()).isTrue();
        assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
        assertThat(error.path("message").asText())
            .contains("JDK HttpClient", "jdk.internal.net.http.HttpClientImpl", HTTP2_CONNECTION)
            .contains("Fix:");
        assertThat(world.requestsReceivedEverywhere())
            .as("requests that reached any server")
            .isZero();

        JsonNode untagged =
            app.ask(
                "request "
                    + ChildRequest.get(world.datadogOrigin() + "/y")
                        .header("X-Plain", "1")
                        .toLine(),
                ANSWER_TIMEOUT);
        assertThat(untagged.path("status").asInt()).as("%s: %s", mode, untagged).isEqualTo(200);
        assertThat(untagged.path("protocol").asText()).isEqualTo("HTTP_2");
        RecordedRequest received = world.provider.singleRequest();
        assertThat(received.header("X-Plain")).isEqualTo("1");
        assertThat(app.stderr())
            .contains("instrumentation module java-http-client")
            .contains("could not instrument " + HTTP2_CONNECTION);
        world.clearRecordings();
      }
    }
  }
}
