package dev.alter.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingServerTest {
  @TempDir static Path dir;
  static TestCertificate certificate;
  static RecordingServer https;
  static RecordingServer http;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    certificate = TestCertificate.generate(dir);
    https = RecordingServer.https(certificate);
    http = RecordingServer.http();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(certificate.trustStoreFile())) {
      trust.load(in, certificate.password().toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    client = HttpClient.newBuilder().sslContext(tls).build();
  }

  @AfterAll
  static void stop() {
    https.close();
    http.close();
  }

  @BeforeEach
  void clear() {
    https.clear();
    http.clear();
  }

  @Test
  void recordsHttp11HeadersInOrderWithTheirCaseAndTheBody() throws Exception {
    https.respond("/created", CannedResponse.status(201).withBody("text/plain", "made"));
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(https.url("/created?x=1")))
                .version(HttpClient.Version.HTTP_1_1)
                .header("X-First", "1")
                .header("dd-api-key", "lower")
                .header("X-Second", "2")
                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("made");
    RecordedRequest request = https.singleRequest();
    assertThat(request.protocol()).isEqualTo("HTTP/1.1");
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/created?x=1");
    // the JDK client sorts its headers; the server keeps that order and each name's spelling
    assertThat(request.headerNames()).containsSubsequence("dd-api-key", "X-First", "X-Second");
    assertThat(request.bodyText()).isEqualTo("payload");
  }

  @Test
  void negotiatesHttp2ByAlpn() throws Exception {
    client.send(
        HttpRequest.newBuilder(URI.create(https.url("/h2")))
            .version(HttpClient.Version.HTTP_2)
            .header("X-Probe", "p")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    RecordedRequest request = https.singleRequest();
    assertThat(request.isHttp2()).isTrue();
    assertThat(request.header("x-probe")).isEqualTo("p");
    assertThat(request.authority()).isEqualTo("localhost:" + https.port());
  }

  @Test
  void answersRedirectsAndPlainHttp() throws Exception {
    http.respond("/old", CannedResponse.redirect(302, https.url("/new")));
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(http.url("/old"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("location")).hasValue(https.url("/new"));
    assertThat(http.singleRequest().scheme()).isEqualTo("http");
  }
}
