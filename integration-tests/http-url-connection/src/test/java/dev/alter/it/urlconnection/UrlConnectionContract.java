package dev.alter.it.urlconnection;

import static dev.alter.it.contract.BypassOutcome.injected;
import static dev.alter.it.contract.BypassOutcome.refusedByAgent;
import static dev.alter.it.contract.BypassOutcome.refusedByClient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.contract.AbstractClientContract;
import dev.alter.it.contract.ClientContractOptions;
import dev.alter.it.contract.InjectedCredential;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client contract for {@code java.net.HttpURLConnection} (HTTPS through {@code
 * HttpsURLConnection}, plain HTTP where a secret allows it) on one JDK, with the JDK's own HTTP
 * logger at FINEST and its raw traffic capture on.
 */
abstract class UrlConnectionContract extends AbstractClientContract {
  UrlConnectionContract(JavaRuntime runtime) {
    super(runtime);
  }

  @Override
  protected ChildJvm child(boolean withAgent) {
    ChildJvm child =
        ChildJvm.create()
            .runtime(runtime)
            .main(ScriptedUrlConnectionClient.class)
            .classpathOf(ChildReport.class)
            .trusting(world.certificate)
            .hosts(world.hosts)
            .systemProperty("app.jdk.http.log", "true");
    if (withAgent) {
      child.systemProperty("sun.net.http.captureRules", captureRules().toString());
    }
    return child;
  }

  @Override
  protected void configure(ClientContractOptions options) {
    // over HTTPS the JDK refuses an underscore name as a TLS server name before any request is
    // written
    options
        .invisibilityOnAPlaceholder(true)
        .underscoreHostOverPlainHttp(refusedByAgent())
        .underscoreHostOverTls(refusedByClient("javax.net.ssl.SSLHandshakeException"))
        .trailingDotOverTls(injected());
  }

  /**
   * The JDK's raw traffic capture for every connection to the plain-HTTP server (decided when a
   * connection opens, so it covers kept-alive connections too), into this runtime's files.
   */
  private Path captureRules() {
    try {
      Path rules = world.workDir.resolve("capture-rules-" + runtime);
      Files.writeString(
          rules,
          "//localhost:"
              + world.plain.port()
              + "/ , "
              + world.workDir.resolve("capture-" + runtime + "-%d.log")
              + "\n");
      return rules;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String captured() {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(world.workDir)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith("capture-" + runtime + "-"))
              .collect(Collectors.toList())) {
        all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  @Override
  protected void assertRedirectAsTheAppSawIt(JsonNode report) {
    assertThat(report.path("final_url").asText()).endsWith("/redirect/landing");
  }

  @Override
  protected void assertObserversSawNoCredential(
      JsonNode report, int stderrFrom, InjectedCredential credential) {
    // before connecting the app sees exactly what it set (the JDK hides Authorization itself)
    assertThat(report.path("request_properties_before").toString())
        .contains("alter-grant: " + credential.grant, "X-Marker: invisibility")
        .doesNotContain(credential.key);
    // after the response, getRequestProperty reads the connection's own headers: never the key
    JsonNode after = report.path("request_properties_after");
    assertThat(after.path("alter-grant").asText()).isEqualTo(credential.grant);
    assertThat(after.path("DD-API-KEY").isNull()).isTrue();
    assertThat(after.toString()).doesNotContain(credential.key);
    // the JDK's sun.net.www.protocol.http.HttpURLConnection logger printed this request
    String logged =
        app().awaitStderrSince(stderrFrom, "X-Marker: invisibility", Duration.ofSeconds(10));
    assertThat(logged).contains("X-Marker: invisibility").doesNotContain(credential.key);
  }

  @Test
  void fixedLengthAndChunkedStreamingBodiesArriveUntouched() {
    String body = "{\"series\":[{\"metric\":\"alter.it\",\"points\":[[1700000000,1.5]]}]}";
    for (String mode : List.of("fixed", "chunked")) {
      world.clearRecordings();
      JsonNode report =
          ask(
              mode,
              ChildRequest.post(world.datadogOrigin() + "/api/v1/series", body)
                  .grant(world.datadogGrant)
                  .header("Content-Type", "application/json"));

      assertSucceeded(report);
      RecordedRequest received = world.provider.singleRequest();
      assertThat(received.headerValues("DD-API-KEY")).as(mode).containsExactly(world.datadogKey);
      assertThat(received.bodyText()).as(mode).isEqualTo(body);
      if (mode.equals("chunked")) {
        assertThat(received.header("Transfer-Encoding")).isEqualTo("chunked");
      } else {
        assertThat(received.header("Content-Length")).isEqualTo(String.valueOf(body.length()));
      }
      assertNoAlterHeaders(received);
    }
  }

  @Test
  void postRedirectedAsGetLosesEveryApplicationHeaderSoTheSecondHopIsNeitherTaggedNorInjected() {
    // the JDK turns a 302 after POST into a GET with a fresh header block (http.strictPostRedirect
    // unset): the grant goes the way of the app's own headers, and so does the credential
    world.provider.respond(
        "/redirect/after-post", CannedResponse.redirect(302, "/redirect/landing"));
    JsonNode report =
        send(
            ChildRequest.post(world.datadogOrigin() + "/redirect/after-post", "{}")
                .grant(world.datadogGrant)
                .header("X-App", "set-by-app"));

    assertSucceeded(report);
    List<RecordedRequest> hops = world.provider.requests();
    assertThat(hops).extracting(RecordedRequest::method).containsExactly("POST", "GET");
    assertThat(hops.get(0).headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
    assertThat(hops.get(1).hasHeader("DD-API-KEY")).isFalse();
    assertThat(hops.get(1).hasHeader("X-App")).isFalse();
    hops.forEach(AbstractClientContract::assertNoAlterHeaders);
  }

  @Test
  void theJdksRawTrafficCaptureShowsTheInjectedValueMasked() {
    // -Dsun.net.http.captureRules copies a plain-HTTP connection's bytes to a file
    JsonNode report =
        send(ChildRequest.get(world.plain.url("/captured/ingest")).grant(world.plainGrant));

    assertSucceeded(report);
    assertThat(world.plain.singleRequest().headerValues("X-Api-Key"))
        .containsExactly(world.plainKey);
    assertThat(captured())
        .contains("GET /captured/ingest HTTP/1.1", "X-Api-Key: [REDACTED]")
        .doesNotContain(world.plainKey);
  }

  @Test
  void redirectTheAppDoesNotFollowIsReturnedWithTheCredentialOnlyOnTheFirstHop() {
    world.provider.respond(
        "/redirect/manual", CannedResponse.redirect(302, world.otherPort.url("/collector")));
    JsonNode report =
        send(
            ChildRequest.get(world.datadogOrigin() + "/redirect/manual")
                .grant(world.datadogGrant)
                .redirects("NEVER"));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(302);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
    assertThat(world.otherPort.requests()).isEmpty();
  }

  @Test
  void refusalInStreamingModeFailsGetOutputStreamAndSendsNothing() {
    JsonNode report =
        ask(
            "fixed",
            ChildRequest.post(world.datadogOrigin() + "/api/v1/series", "{}")
                .grant(world.revokedGrant));
    assertFailedClosed(report, "grant_revoked", world.revokedGrant);
  }
}
