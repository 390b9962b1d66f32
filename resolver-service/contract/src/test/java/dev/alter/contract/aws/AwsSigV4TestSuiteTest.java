package dev.alter.contract.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case of the AWS SigV4 test suite (copied into the test resources with its
 * Apache-2.0 LICENSE, NOTICE and a README naming the source): canonical request, string to sign and
 * signature, with the signing key derived from the secret and then used alone.
 */
class AwsSigV4TestSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> cases() throws IOException {
    URL readme = AwsSigV4TestSuiteTest.class.getResource("/aws-sigv4-test-suite/README.md");
    if (readme == null) {
      throw new IllegalStateException(
          "AWS SigV4 test suite missing from the contract's test resources");
    }
    Path suite = Path.of(URI.create(readme.toString())).getParent();
    List<Path> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(suite)) {
      dirs.filter(d -> Files.exists(d.resolve("context.json"))).sorted().forEach(cases::add);
    }
    assertThat(cases).hasSize(38);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reproducesCanonicalRequestStringToSignAndSignature(Path dir) throws IOException {
    JsonNode context = JSON.readTree(dir.resolve("context.json").toFile());
    RawRequest raw = RawRequest.parse(Files.readAllBytes(dir.resolve("request.txt")));
    Instant time = Instant.parse(context.get("timestamp").asText());
    AwsScope scope =
        AwsScope.at(time, context.get("region").asText(), context.get("service").asText());

    String payloadHash = SigV4Signer.sha256Hex(raw.body);
    SigV4Request request = new SigV4Request(raw.method, raw.path, raw.query, payloadHash);
    raw.headers.forEach(h -> request.header(h[0], h[1]));
    request.header("X-Amz-Date", SigV4Signer.amzDate(time));
    JsonNode credentials = context.get("credentials");
    boolean signToken =
        credentials.has("token") && !context.path("omit_session_token").asBoolean(false);
    if (signToken) {
      request.header("X-Amz-Security-Token", credentials.get("token").asText());
    }
    if (context.path("sign_body").asBoolean(false)) {
      request.header("X-Amz-Content-Sha256", payloadHash);
    }

    byte[] signingKey = AwsSigningKey.derive(credentials.get("secret_access_key").asText(), scope);
    SigV4Signature signature =
        new SigV4Signer(context.get("normalize").asBoolean(), true)
            .sign(request, scope, time, credentials.get("access_key_id").asText(), signingKey);

    assertThat(signature.canonicalRequest()).isEqualTo(read(dir, "header-canonical-request.txt"));
    assertThat(signature.stringToSign()).isEqualTo(read(dir, "header-string-to-sign.txt"));
    assertThat(signature.signature()).isEqualTo(read(dir, "header-signature.txt").trim());
    assertThat(read(dir, "header-signed-request.txt"))
        .contains("Authorization:" + signature.authorization());
  }

  private static String read(Path dir, String file) throws IOException {
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  /** request.txt: request line (the path may contain spaces), headers with folded lines, body. */
  static final class RawRequest {
    String method;
    String path;
    String query;
    final List<String[]> headers = new ArrayList<>();
    byte[] body = new byte[0];

    static RawRequest parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\n\n");
      String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
      RawRequest r = new RawRequest();
      if (headerEnd >= 0) {
        r.body = text.substring(headerEnd + 2).getBytes(StandardCharsets.UTF_8);
      }
      String[] lines = head.split("\n");
      String requestLine = lines[0];
      r.method = requestLine.substring(0, requestLine.indexOf(' '));
      String target =
          requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
      int q = target.indexOf('?');
      r.path = q < 0 ? target : target.substring(0, q);
      r.query = q < 0 ? null : target.substring(q + 1);
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        if ((line.startsWith(" ") || line.startsWith("\t")) && !r.headers.isEmpty()) {
          String[] last = r.headers.get(r.headers.size() - 1);
          last[1] = last[1] + " " + line.trim();
        } else if (!line.isEmpty()) {
          int colon = line.indexOf(':');
          r.headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
        }
      }
      return r;
    }
  }
}
