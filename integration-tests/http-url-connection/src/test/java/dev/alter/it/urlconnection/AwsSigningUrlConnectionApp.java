package dev.alter.it.urlconnection;

import dev.alter.it.child.AwsSigningScenario;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Child app: hand-built AWS requests through {@link HttpURLConnection} with {@code alter-grant} and
 * no signature of its own. Arguments: port, grant. A buffered body is written in the default mode
 * (the JDK buffers it until the response is read); a streamed one in fixed-length streaming mode
 * (written to the socket after the header block).
 */
public final class AwsSigningUrlConnectionApp {
  private AwsSigningUrlConnectionApp() {}

  public static void main(String[] args) {
    AwsSigningScenario.run(
        args,
        step -> {
          HttpURLConnection connection = (HttpURLConnection) new URL(step.url).openConnection();
          connection.setConnectTimeout(30_000);
          connection.setReadTimeout(60_000);
          connection.setRequestMethod(step.method);
          for (String[] header : step.headers) {
            connection.addRequestProperty(header[0], header[1]);
          }
          if (step.contentType != null) {
            connection.setRequestProperty("Content-Type", step.contentType);
          }
          if (step.bodyKind != AwsSigningScenario.BodyKind.NONE) {
            connection.setDoOutput(true);
            if (step.bodyKind == AwsSigningScenario.BodyKind.STREAMED) {
              connection.setFixedLengthStreamingMode(step.body.length);
            }
            try (OutputStream out = connection.getOutputStream()) {
              out.write(step.body);
            }
          }
          int status = connection.getResponseCode();
          try (InputStream in =
              status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
              in.readAllBytes();
            }
          }
          return status;
        });
  }
}
