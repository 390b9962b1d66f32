package dev.alter.it.urlconnection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.PatchedJdkClass;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An {@code HttpURLConnection} the agent's header hook cannot be woven into: the JDK's own {@code
 * sun.net.www.http.HttpClient} patched into {@code java.base} with {@code writeRequests} padded to
 * the JVM's code-size limit (the connection works as before). A tagged GET and a tagged POST fail
 * with {@code client_not_supported} at {@code getResponseCode()}/{@code getOutputStream()}, nothing
 * reaches any server, an untagged request still works, and the agent warned which module and class
 * it could not instrument.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlConnectionUnsupportedInternalsTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
  private static final String WRITER = "sun.net.www.http.HttpClient";

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
            "java.base",
            WRITER,
            "writeRequests",
            "(Lsun/net/www/MessageHeader;)V");
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .jvmArgument(patch)
            .main(ScriptedUrlConnectionClient.class)
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey);
    try (RunningChild app = child.start()) {
      app.nextReport(Duration.ofSeconds(30));
      for (ChildRequest tagged :
          List.of(
              ChildRequest.get(world.datadogOrigin() + "/x").grant(world.datadogGrant),
              ChildRequest.post(world.datadogOrigin() + "/x", "{}").grant(world.datadogGrant))) {
        JsonNode report = app.ask("request " + tagged.toLine(), ANSWER_TIMEOUT);
        JsonNode error = report.path("error");
        assertThat(error.path("code").asText()).as("%s", report).isEqualTo("client_not_supported");
        assertThat(error.path("is_io_exception").asBoolean()).isTrue();
        assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
        assertThat(error.path("message").asText())
            .contains("HttpURLConnection", "sun.net.www.protocol.http.HttpURLConnection", WRITER)
            .contains("Fix:");
        assertThat(world.requestsReceivedEverywhere())
            .as("requests that reached any server")
            .isZero();
      }

      JsonNode untagged =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/y").header("X-Plain", "1").toLine(),
              ANSWER_TIMEOUT);
      assertThat(untagged.path("status").asInt()).as("%s", untagged).isEqualTo(200);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.header("X-Plain")).isEqualTo("1");
      assertThat(app.stderr())
          .contains("instrumentation module http-url-connection")
          .contains("could not instrument " + WRITER);
    }
  }
}
