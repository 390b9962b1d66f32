package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.Json;
import dev.alter.it.harness.KeyEncodings;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingTcpProxy;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 2: an app under the agent with every log switch the JDK offers turned on (the
 * HttpClient's own log and debug output, every java.util.logging logger at ALL on the console, the
 * TLS debug dump, and the agent's own log at ALL) makes a tagged request for a managed-agent grant.
 * Neither the app key nor the agent token appears anywhere in what the app prints, in any common
 * encoding, because the agent signs its resolve instead of sending them. The resolve request
 * itself, captured on the wire, is refused when replayed, inside the window (its nonce) and after
 * it (its timestamp). The same holds for an app that also turns its own HTTP clients' logging to
 * the most verbose level (Apache HttpClient 5's wire and header logs through SLF4J at TRACE, Apache
 * HttpClient 4's through commons-logging, OkHttp's logging interceptor at BODY).
 */
class AgentKeysStayOutOfAppLogsTest {
  private static final int WINDOW_SECONDS = 5;

  @Test
  void noAgentKeyInAnyLogAndACapturedResolveIsWorthless() throws Exception {
    Path work = SharedResolverService.workDirectory("agent-keys-logs");
    try (ResolverServiceProcess service =
            ResolverServiceProcess.start(
                work.resolve("service"),
                null,
                Map.of("ALTER_SIGNATURE_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS)));
        StandInProvider provider = new StandInProvider("agent-keys-logs");
        RecordingTcpProxy wire = RecordingTcpProxy.to(service.port())) {
      AdminClient admin = service.admin();
      AdminClient.App app = admin.createApp("logs-it-" + System.nanoTime());
      JsonNode agent = admin.call("POST", "/v1/agents", Map.of("label", "logs-it"));
      String agentToken = agent.path("token").asText();
      String secretId =
          admin.storeSecretId(
              NewSecret.provider(app.appId, "datadog", StandInProvider.randomCredential("dd"))
                  .destinations(provider.origin()));
      String grant =
          admin
              .call(
                  "POST",
                  "/v1/grants",
                  Map.of(
                      "secret_id",
                      secretId,
                      "label",
                      "logs-it",
                      "principal",
                      Map.of("type", "agent", "agent_id", agent.path("agent_id").asText())))
              .path("grant_id")
              .asText();

      String output;
      try (RunningChild child =
          provider
              .app(JavaRuntime.JDK_17, "HTTP_1_1")
              .withAgent()
              .resolver("http://127.0.0.1:" + wire.port(), app.apiKey)
              .env("ALTER_AGENT_TOKEN", agentToken)
              .jvmArguments(everyLogSwitch(work))
              .start()) {
        child.nextReport(Duration.ofSeconds(60));
        JsonNode report =
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/api/v1/validate")
                        .grant(grant)
                        .toLine(),
                Duration.ofSeconds(60));
        ResolverCacheTest.assertOk(report);
        // the HttpClient's log shows the agent's own resolve request: the switches were on
        String stderr = child.awaitStderr("/v1/resolve", Duration.ofSeconds(30));
        assertThat(stderr).as("TLS debug output").containsIgnoringCase("ClientHello");
        child.close();
        output = child.stdout() + "\n" + child.stderr();
      }
      assertThat(provider.server.singleRequest().headerValues("DD-API-KEY")).hasSize(1);
      for (String secret : List.of(app.apiKey, agentToken)) {
        for (String form : KeyEncodings.of(secret)) {
          assertThat(output)
              .as("app output holds a form of an agent-side key")
              .doesNotContain(form);
          assertThat(wire.capturedText())
              .as("the resolve on the wire holds a form of an agent-side key")
              .doesNotContain(form);
        }
      }
      assertThat(output).as("the resolve's headers were logged").contains("Alter-Signature keyId=");
      assertThat(output).as("the agent's own log at ALL").contains("[alter-agent] FINE");

      byte[] captured = firstResolveRequest(wire.capturedText());
      String authorization = header(captured, "Authorization");
      long signedAt = Long.parseLong(parameter(authorization, "ts"));
      JsonNode replayedAtOnce = Json.parse(replay(service.port(), captured));
      assertThat(replayedAtOnce.path("code").asText()).isEqualTo("signature_rejected");
      assertThat(replayedAtOnce.path("detail").asText()).contains("nonce was already used");

      // past the window (by the clock itself), the same bytes fail on their timestamp
      while (System.currentTimeMillis() / 1000 <= signedAt + WINDOW_SECONDS) {
        Thread.sleep(100);
      }
      JsonNode replayedLater = Json.parse(replay(service.port(), captured));
      assertThat(replayedLater.path("code").asText()).isEqualTo("signature_rejected");
      assertThat(replayedLater.path("detail").asText()).contains("stale or replayed");
      assertThat(
              admin.audit(Map.of("grant_id", grant, "action", "resolve")).stream()
                  .filter(e -> "allowed".equals(e.path("outcome").asText()))
                  .count())
          .as("only the app's own resolve")
          .isEqualTo(1);
    }
  }

  @Test
  void noAgentKeyInTheAppsOwnApacheOkHttpAndSlf4jLogs() throws Exception {
    Path work = SharedResolverService.workDirectory("agent-keys-app-logs");
    ResolverServiceProcess service = SharedResolverService.get();
    try (StandInProvider provider = new StandInProvider("agent-keys-app-logs")) {
      AdminClient admin = service.admin();
      AdminClient.App app = admin.createApp("app-logs-it-" + System.nanoTime());
      JsonNode agent = admin.call("POST", "/v1/agents", Map.of("label", "app-logs-it"));
      String agentToken = agent.path("token").asText();
      String credential = StandInProvider.randomCredential("dd");
      String secretId =
          admin.storeSecretId(
              NewSecret.provider(app.appId, "datadog", credential).destinations(provider.origin()));
      String grant =
          admin
              .call(
                  "POST",
                  "/v1/grants",
                  Map.of(
                      "secret_id",
                      secretId,
                      "label",
                      "app-logs-it",
                      "principal",
                      Map.of("type", "agent", "agent_id", agent.path("agent_id").asText())))
              .path("grant_id")
              .asText();

      ChildJvm child =
          ChildJvm.create()
              .runtime(JavaRuntime.JDK_17)
              .withAgent()
              .resolver(service.baseUrl(), app.apiKey)
              .env("ALTER_AGENT_TOKEN", agentToken)
              .trusting(provider.certificate)
              .hosts(provider.hosts)
              .jvmArguments(everyLogSwitch(work))
              .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "trace")
              .classpathEntry(Path.of(System.getProperty("alter.coexistence.classes")))
              .main("dev.alter.it.coexistence.VerboseLoggingApp", provider.origin(), grant);
      for (String entry : CoexistenceTest.appClasspath()) {
        child.classpathEntry(Path.of(entry));
      }
      ChildResult result = child.run();
      JsonNode report = result.report();
      for (String client :
          List.of("apache_tagged", "apache4_tagged", "okhttp_tagged", "jdk_tagged")) {
        assertThat(report.path(client).asInt())
            .as(client + "\n" + result.describe())
            .isEqualTo(200);
      }
      for (RecordedRequest received : provider.server.requests()) {
        assertThat(received.headerValues("DD-API-KEY"))
            .as(received.target())
            .containsExactly(credential);
      }

      String output = result.stdout() + "\n" + result.stderr();
      assertThat(output)
          .as("Apache HttpClient's wire log through SLF4J")
          .contains("http-outgoing-")
          .contains(">> \"GET /apache/tagged HTTP/1.1");
      assertThat(output)
          .as("Apache HttpClient 4's wire log through commons-logging")
          .contains(">> \"GET /apache4/tagged HTTP/1.1");
      assertThat(output)
          .as("OkHttp's logging interceptor at BODY")
          .contains("--> GET " + provider.origin() + "/okhttp/tagged")
          .contains("--> END GET");
      assertThat(output)
          .as("the agent's own resolve in the JDK client's log")
          .contains("Alter-Signature keyId=");
      assertThat(output).as("the agent's own log at ALL").contains("[alter-agent] FINE");
      for (String secret : List.of(app.apiKey, agentToken)) {
        for (String form : KeyEncodings.of(secret)) {
          assertThat(output)
              .as("app output holds a form of an agent-side key")
              .doesNotContain(form);
        }
      }
    }
  }

  /** JVM options turning on every log the app itself can switch on, the agent's included. */
  private static List<String> everyLogSwitch(Path work) throws IOException {
    Path logging = work.resolve("logging.properties");
    Files.writeString(
        logging,
        String.join(
            "\n",
            "handlers=java.util.logging.ConsoleHandler",
            ".level=ALL",
            "java.util.logging.ConsoleHandler.level=ALL",
            "jdk.internal.httpclient.level=ALL",
            "jdk.internal.httpclient.debug.level=ALL",
            "jdk.httpclient.HttpClient.level=ALL",
            "sun.net.www.protocol.http.level=ALL",
            "sun.net.www.protocol.http.HttpURLConnection.level=ALL",
            "javax.net.ssl.level=ALL",
            "jdk.event.security.level=ALL",
            ""));
    return List.of(
        "-Djava.util.logging.config.file=" + logging,
        "-Djdk.httpclient.HttpClient.log=all",
        "-Djdk.internal.httpclient.debug=true",
        "-Djdk.internal.httpclient.hpack.debug=true",
        "-Djavax.net.debug=all",
        "-Dalter.log.level=ALL");
  }

  /** The bytes of the first {@code POST /v1/resolve} request the relay saw: headers and body. */
  private static byte[] firstResolveRequest(String capturedText) {
    int start = capturedText.indexOf("POST /v1/resolve ");
    assertThat(start).as("a resolve request crossed the relay").isGreaterThanOrEqualTo(0);
    int headersEnd = capturedText.indexOf("\r\n\r\n", start) + 4;
    Matcher length =
        Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
            .matcher(capturedText.substring(start, headersEnd));
    assertThat(length.find()).as("the resolve request declares its length").isTrue();
    return capturedText
        .substring(start, headersEnd + Integer.parseInt(length.group(1)))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String header(byte[] request, String name) {
    Matcher m =
        Pattern.compile("(?im)^" + name + ":\\s*(.+?)\\r?$")
            .matcher(new String(request, StandardCharsets.ISO_8859_1));
    assertThat(m.find()).as("header " + name).isTrue();
    return m.group(1);
  }

  private static String parameter(String authorization, String name) {
    Matcher m = Pattern.compile("[ ,]" + name + "=([^,\\s]+)").matcher(authorization);
    assertThat(m.find()).as("parameter " + name).isTrue();
    return m.group(1);
  }

  /** Sends {@code request} byte for byte to the service and returns the answer's body. */
  private static String replay(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String headers = head.toString(StandardCharsets.ISO_8859_1);
      Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
      byte[] body =
          length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
      assertThat(headers.toLowerCase(Locale.ROOT)).startsWith("http/1.1 401");
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
