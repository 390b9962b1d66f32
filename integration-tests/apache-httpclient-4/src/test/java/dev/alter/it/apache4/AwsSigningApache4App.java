package dev.alter.it.apache4;

import dev.alter.it.child.AwsSigningScenario;
import java.io.ByteArrayInputStream;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.util.EntityUtils;

/**
 * Child app: hand-built AWS requests through Apache HttpClient 4.5 with {@code alter-grant} and no
 * signature of its own. Arguments: port, grant. A buffered body is a {@link ByteArrayEntity}, a
 * streamed one an {@link InputStreamEntity}.
 */
public final class AwsSigningApache4App {
  private AwsSigningApache4App() {}

  public static void main(String[] args) throws Exception {
    try (CloseableHttpClient client = HttpClientBuilder.create().useSystemProperties().build()) {
      AwsSigningScenario.run(
          args,
          step -> {
            HttpEntityEnclosingRequestBase request =
                new HttpEntityEnclosingRequestBase() {
                  @Override
                  public String getMethod() {
                    return step.method;
                  }
                };
            request.setURI(java.net.URI.create(step.url));
            for (String[] header : step.headers) {
              request.addHeader(header[0], header[1]);
            }
            ContentType type =
                step.contentType == null ? null : ContentType.parse(step.contentType);
            if (step.bodyKind == AwsSigningScenario.BodyKind.BUFFERED) {
              request.setEntity(new ByteArrayEntity(step.body, type));
            } else if (step.bodyKind == AwsSigningScenario.BodyKind.STREAMED) {
              request.setEntity(
                  new InputStreamEntity(
                      new ByteArrayInputStream(step.body), step.body.length, type));
            }
            try (CloseableHttpResponse response = client.execute(request)) {
              EntityUtils.consume(response.getEntity());
              return response.getStatusLine().getStatusCode();
            }
          });
    }
  }
}
