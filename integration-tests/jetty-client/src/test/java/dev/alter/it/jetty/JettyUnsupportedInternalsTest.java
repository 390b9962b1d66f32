package dev.alter.it.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RewrittenJar;
import dev.alter.it.harness.RunningChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A Jetty whose internals the agent's hooks do not fit: Jetty 12.0's client rebuilt with the
 * senders' {@code sendHeaders(exchange, content, last, callback)} renamed (callers too, so the
 * client works as before). A tagged request fails at {@code HttpRequest.send} with {@code
 * client_not_supported} naming the client, nothing reaches any server, and untagged requests still
 * work.
 */
class JettyUnsupportedInternalsTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(40);

  private final ClientWorld world = ClientWorld.get();

  private List<Path> renamedSenderJars() {
    List<Path> jars = JettyRelease.JETTY_12.jars();
    Path client =
        jars.stream()
            .filter(j -> j.getFileName().toString().startsWith("jetty-client-12"))
            .findFirst()
            .orElseThrow();
    Path renamed =
        RewrittenJar.renameMethod(
            client,
            Path.of("target", "rewritten", "jetty-client-12.0.25-renamed-sender.jar"),
            Set.of(
                "org/eclipse/jetty/client/transport/HttpSender",
                "org/eclipse/jetty/client/transport/internal/HttpSenderOverHTTP"),
            "sendHeaders",
            "(Lorg/eclipse/jetty/client/transport/HttpExchange;Ljava/nio/ByteBuffer;Z"
                + "Lorg/eclipse/jetty/util/Callback;)V",
            "sendHeaderBlock");
    return RewrittenJar.replacing(jars, "jetty-client-12", renamed);
  }

  @Test
  void taggedRequestFailsClosedWithClientNotSupportedAndUntaggedStillWork() {
    world.clearRecordings();
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .classpathOf(ChildReport.class)
            .main(JettyRelease.JETTY_12.app().toString(), "HTTP11")
            .trusting(world.certificate)
            .hosts(world.hosts)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey);
    for (Path jar : renamedSenderJars()) {
      child.classpathEntry(jar);
    }
    try (RunningChild app = child.start()) {
      app.nextReport(Duration.ofSeconds(60));
      JsonNode tagged =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/x")
                      .grant(world.datadogGrant)
                      .toLine(),
              ANSWER_TIMEOUT);
      JsonNode error = tagged.path("error");
      assertThat(error.path("code").asText()).as("%s", tagged).isEqualTo("client_not_supported");
      assertThat(error.path("is_io_exception").asBoolean()).isTrue();
      assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
      assertThat(error.path("message").asText()).contains("Jetty", "Fix:");
      assertThat(world.requestsReceivedEverywhere())
          .as("requests that reached any server")
          .isZero();

      JsonNode untagged =
          app.ask(
              "request "
                  + ChildRequest.get(world.datadogOrigin() + "/y").header("X-Plain", "1").toLine(),
              ANSWER_TIMEOUT);
      assertThat(untagged.path("status").asInt()).as("%s", untagged).isEqualTo(200);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.header("X-Plain")).isEqualTo("1");
    }
  }
}
