package dev.alter.it.okhttp;

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
import dev.alter.it.okhttp.app.ScriptedOkHttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An OkHttp whose internals the agent's hooks do not fit: OkHttp 4.12 rebuilt with the codecs'
 * {@code writeRequestHeaders(Request)} renamed (callers too, so the client works as before). A
 * tagged request fails at {@code OkHttpClient.newCall} with {@code client_not_supported} naming the
 * client and its version, nothing reaches any server, untagged requests still work, and the agent
 * warned at start of the first call which module and class did not fit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OkHttpUnsupportedInternalsTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(40);

  private final ClientWorld world = ClientWorld.get();

  @BeforeEach
  void clearRecordings() {
    world.clearRecordings();
  }

  private List<Path> renamedCodecJars() {
    List<Path> jars = OkHttpRelease.OKHTTP_4.jars();
    Path okhttp =
        jars.stream()
            .filter(j -> j.getFileName().toString().startsWith("okhttp-4"))
            .findFirst()
            .orElseThrow();
    Path renamed =
        RewrittenJar.renameMethod(
            okhttp,
            Path.of("target", "rewritten", "okhttp-4.12.0-renamed-codec.jar"),
            Set.of(
                "okhttp3/internal/http/ExchangeCodec",
                "okhttp3/internal/http1/Http1ExchangeCodec",
                "okhttp3/internal/http2/Http2ExchangeCodec"),
            "writeRequestHeaders",
            "(Lokhttp3/Request;)V",
            "writeRequestHead");
    return RewrittenJar.replacing(jars, "okhttp-4", renamed);
  }

  @ParameterizedTest
  @EnumSource(
      value = JavaRuntime.class,
      names = {"JDK_17", "JDK_25"})
  void taggedRequestFailsClosedWithClientNotSupportedAndUntaggedStillWork(JavaRuntime runtime) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedOkHttpClient.class, "execute", "HTTP_1_1")
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts)
            .withAgent()
            .resolver(world.service.baseUrl(), world.app.apiKey);
    for (Path jar : renamedCodecJars()) {
      child.classpathEntry(jar);
    }
    try (RunningChild app = child.start()) {
      app.nextReport(Duration.ofSeconds(30));
      for (String command : List.of("execute", "enqueue")) {
        JsonNode tagged =
            app.ask(
                command
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/x")
                        .grant(world.datadogGrant)
                        .toLine(),
                ANSWER_TIMEOUT);
        JsonNode error = tagged.path("error");
        assertThat(error.path("code").asText())
            .as("%s: %s", command, tagged)
            .isEqualTo("client_not_supported");
        assertThat(error.path("is_io_exception").asBoolean()).isTrue();
        assertThat(error.path("grant_id").asText()).isEqualTo(world.datadogGrant);
        assertThat(error.path("message").asText())
            .contains("OkHttp", "okhttp3.OkHttpClient", "Http1ExchangeCodec", "Fix:", "3.5 to 5.x");
        assertThat(world.requestsReceivedEverywhere())
            .as("requests that reached any server")
            .isZero();

        JsonNode untagged =
            app.ask(
                command
                    + " "
                    + ChildRequest.get(world.datadogOrigin() + "/y")
                        .header("X-Plain", "1")
                        .toLine(),
                ANSWER_TIMEOUT);
        assertThat(untagged.path("status").asInt()).as("%s: %s", command, untagged).isEqualTo(200);
        RecordedRequest received = world.provider.singleRequest();
        assertThat(received.header("X-Plain")).isEqualTo("1");
        world.clearRecordings();
      }
      assertThat(app.stderr())
          .contains("instrumentation module okhttp")
          .contains("okhttp3.internal.http1.Http1ExchangeCodec has no method");
    }
  }
}
