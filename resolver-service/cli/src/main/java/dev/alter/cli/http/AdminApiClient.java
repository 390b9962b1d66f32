package dev.alter.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLException;

/**
 * The admin REST API over the JDK HTTP client, authenticated with the admin key. Answers with the
 * body as received on 2xx; turns problem bodies and transport failures into {@link CliFailure}s.
 * Request bodies may hold a credential: they are sent and dropped, never logged or echoed.
 */
public final class AdminApiClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** A rewrap touches every stored version, so allow more than a CRUD call needs. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private final ServiceEndpoint endpoint;
  private final String adminKey;
  private final HttpClient http;

  public AdminApiClient(ServiceEndpoint endpoint, String adminKey) {
    this.endpoint = endpoint;
    this.adminKey = adminKey;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER); // never carry the admin key elsewhere
    if (endpoint.caFile() != null) {
      builder.sslContext(TrustedCa.sslContext(endpoint.caFile()));
    }
    this.http = builder.build();
  }

  /** {@code /v1/} plus each segment percent-encoded, so an id can never change the path. */
  public static String path(String... segments) {
    StringJoiner path = new StringJoiner("/", "/v1/", "");
    for (String segment : segments) {
      path.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return path.toString();
  }

  public ApiResponse get(String path, Map<String, String> query) {
    StringJoiner qs = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (name, value) -> {
          if (value != null) {
            qs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return send("GET", path + qs, null);
  }

  public ApiResponse get(String path) {
    return send("GET", path, null);
  }

  public ApiResponse post(String path, Object body) {
    return send("POST", path, body);
  }

  public ApiResponse put(String path, Object body) {
    return send("PUT", path, body);
  }

  public ApiResponse patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null);
  }

  private ApiResponse send(String method, String pathAndQuery, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + adminKey)
            .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(serialize(body)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("connecting timed out after " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (HttpTimeoutException e) {
      throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
    } catch (SSLException e) {
      throw new CliFailure(
          ErrorCode.RESOLVER_UNAVAILABLE.code(),
          ExitCodes.UNAVAILABLE,
          "TLS handshake with " + endpoint.uri() + " failed: " + handshakeProblem(e),
          "if the service's certificate comes from a private CA, pass --ca-file CA.pem");
    } catch (ConnectException e) {
      throw unreachable("connection refused");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? "connection failed" : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new ApiResponse(status, response.body());
    }
    throw failureFrom(status, response.body());
  }

  /** The JDK's handshake messages name internal classes; say what they mean instead. */
  private String handshakeProblem(SSLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("PKIX") || message.contains("certification path")) {
      return "its certificate is not signed by a trusted CA";
    }
    if (message.contains("subject alternative") || message.contains("No name matching")) {
      return "its certificate does not name host " + endpoint.uri().getHost();
    }
    return message;
  }

  private static byte[] serialize(Object body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // the message of a serialization failure could quote the value: do not pass it on
      throw new IllegalStateException("cannot serialize the request body", null);
    }
  }

  private CliFailure unreachable(String why) {
    return new CliFailure(
        ErrorCode.RESOLVER_UNAVAILABLE.code(),
        ExitCodes.UNAVAILABLE,
        "cannot reach the resolver service at " + endpoint.uri() + ": " + why,
        "check --url / ALTER_URL and that the resolver service is running");
  }

  /** A problem body when the service sent one; otherwise a code derived from the status. */
  static CliFailure failureFrom(int status, String body) {
    Problem problem = parseProblem(body);
    String code =
        problem != null && problem.getCode() != null
            ? problem.getCode()
            : codeForStatus(status).code();
    String detail =
        problem == null
            ? null
            : problem.getDetail() != null ? problem.getDetail() : problem.getTitle();
    if (detail == null || detail.isBlank()) {
      detail = "the service answered HTTP " + status;
    }
    return new CliFailure(code, ExitCodes.forHttpStatus(status), detail, Hints.forCode(code));
  }

  private static Problem parseProblem(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(body, Problem.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static ErrorCode codeForStatus(int status) {
    switch (status) {
      case 401:
        return ErrorCode.UNAUTHORIZED;
      case 403:
        return ErrorCode.FORBIDDEN;
      case 404:
        return ErrorCode.NOT_FOUND;
      case 409:
        return ErrorCode.CONFLICT;
      case 413:
        return ErrorCode.PAYLOAD_TOO_LARGE;
      case 503:
        return ErrorCode.STORE_UNAVAILABLE;
      default:
        return status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED;
    }
  }
}
