package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.contract.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty answers itself, before any route runs, sent over a raw socket (an HTTP client
 * would refuse to send most of them): each answer is problem+json with a stable code and a detail
 * that does not repeat the request.
 */
class JettyErrorAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static TestService service;

  @BeforeAll
  static void start() {
    service = TestService.start(Backend.H2, JettyErrorAnswersTest.class);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private record RawAnswer(int status, String contentType, JsonNode body, String text) {}

  private static RawAnswer send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.running.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      assertThat(split).as(text).isPositive();
      String head = text.substring(0, split);
      int status = Integer.parseInt(head.substring(9, 12));
      String contentType = null;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          contentType = line.substring(13).trim();
        }
      }
      String body = text.substring(split + 4);
      return new RawAnswer(status, contentType, body.isEmpty() ? null : JSON.readTree(body), text);
    }
  }

  private static void assertProblem(RawAnswer answer, int status, String code, String mustNotEcho) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).as(answer.text()).startsWith(Problem.MEDIA_TYPE);
    assertThat(answer.body().path("code").asText()).as(answer.text()).isEqualTo(code);
    assertThat(answer.body().path("status").asInt()).isEqualTo(status);
    assertThat(answer.text()).doesNotContain(mustNotEcho).doesNotContainIgnoringCase("<html");
  }

  @Test
  void anInvalidPercentEncodingIsAMalformedRequest() throws IOException {
    assertProblem(
        send("GET /v1/echo-me%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "malformed_request",
        "echo-me");
  }

  @Test
  void anEncodedSlashReachesNoRouteAndIsNotRepeated() throws IOException {
    assertProblem(
        send("GET /v1/apps%2Fecho-me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        404,
        "not_found",
        "echo-me");
  }

  @Test
  void aPathOutsideTheRootIsAMalformedRequest() throws IOException {
    assertProblem(
        send("GET /../../echo-me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        400,
        "malformed_request",
        "echo-me");
  }

  @Test
  void aTooLongUriIsUriTooLong() throws IOException {
    String path = "/v1/apps/" + "echo-me".repeat(3000);
    assertProblem(
        send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        414,
        "uri_too_long",
        "echo-me");
  }

  @Test
  void tooLargeHeadersAreHeadersTooLarge() throws IOException {
    assertProblem(
        send(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "echo-me".repeat(3000)
                + "\r\nConnection: close\r\n\r\n"),
        431,
        "headers_too_large",
        "echo-me");
  }

  @Test
  void anUnknownHttpVersionIsAMalformedRequest() throws IOException {
    assertProblem(
        send("GET /healthz HTTP/7.3\r\nHost: x\r\n\r\n"), 505, "malformed_request", "HTTP/7.3\"");
  }

  @Test
  void aRequestLineThatIsNotHttpIsAMalformedRequest() throws IOException {
    assertProblem(
        send("GET /healthz echo-me\r\nHost: x\r\n\r\n"), 505, "malformed_request", "echo-me");
  }

  @Test
  void aBadHeaderIsAMalformedRequest() throws IOException {
    assertProblem(
        send("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header echo-me\r\nConnection: close\r\n\r\n"),
        400,
        "malformed_request",
        "echo-me");
  }

  @Test
  void everyOtherRefusalIsProblemJsonToo() throws IOException {
    for (String requestLine :
        List.of(
            "OPTIONS * HTTP/1.1",
            "TRACE /healthz HTTP/1.1",
            "CONNECT 127.0.0.1:1 HTTP/1.1",
            "GET / HTTP/1.1",
            "BREW /healthz HTTP/1.1",
            "GET /v1/apps HTTP/1.0",
            "GET http://other.test/v1/apps HTTP/1.1",
            "GET /v1/apps;echo-me HTTP/1.1",
            "GET /v1/%00 HTTP/1.1",
            "GET /v1/apps?%zz HTTP/1.1")) {
      RawAnswer answer = send(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(answer.text()).as(requestLine).doesNotContainIgnoringCase("<html");
      if (answer.status() >= 400) {
        assertThat(answer.contentType())
            .as(requestLine + " → " + answer.text())
            .startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.body().path("code").asText()).as(answer.text()).isNotEmpty();
      }
    }
  }

  @Test
  void anUnknownRouteIsStillNotFound() throws IOException {
    assertProblem(
        send("GET /v1/echo-me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        404,
        "not_found",
        "\"code\":\"malformed_request\"");
  }
}
