package dev.alter.it.jdk.aws;

import dev.alter.it.child.AwsSigningScenario;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Child app: hand-built AWS requests through {@code java.net.http.HttpClient} with {@code
 * alter-grant} and no signature of its own. Arguments: port, grant, {@code HTTP_1_1} or {@code
 * HTTP_2}. A buffered body is {@code ofByteArray}; a streamed one {@code ofInputStream}.
 */
public final class AwsSigningJdkApp {
  private AwsSigningJdkApp() {}

  public static void main(String[] args) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.valueOf(args[2]))
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    AwsSigningScenario.run(
        args,
        step -> {
          HttpRequest.BodyPublisher body;
          switch (step.bodyKind) {
            case BUFFERED:
              body = HttpRequest.BodyPublishers.ofByteArray(step.body);
              break;
            case STREAMED:
              body =
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(step.body)),
                      step.body.length);
              break;
            default:
              body = HttpRequest.BodyPublishers.noBody();
          }
          HttpRequest.Builder request =
              HttpRequest.newBuilder(URI.create(step.url))
                  .timeout(Duration.ofSeconds(60))
                  .method(step.method, body);
          for (String[] header : step.headers) {
            request.header(header[0], header[1]);
          }
          if (step.contentType != null) {
            request.header("Content-Type", step.contentType);
          }
          return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        });
  }
}
