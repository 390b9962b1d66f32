package dev.alter.it.apache;

import dev.alter.it.child.AwsSigningScenario;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/**
 * Child app: hand-built AWS requests through Apache HttpClient 5 with {@code alter-grant} and no
 * signature of its own. Arguments: port, grant, {@code classic}, {@code async-http1} or {@code
 * async-http2}. Classic: a buffered body is a {@link ByteArrayEntity}, a streamed one an {@link
 * InputStreamEntity}; async: a buffered body is a {@link SimpleHttpRequest} body (a repeatable
 * {@code BasicAsyncEntityProducer}), a streamed one a {@link OneShotStreamProducer}.
 */
public final class AwsSigningApacheApp {
  private AwsSigningApacheApp() {}

  public static void main(String[] args) throws Exception {
    String mode = args[2];
    if (mode.equals("classic")) {
      try (CloseableHttpClient client = HttpClients.custom().useSystemProperties().build()) {
        AwsSigningScenario.run(
            args,
            step -> {
              HttpUriRequestBase request =
                  new HttpUriRequestBase(step.method, URI.create(step.url));
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
              return client.execute(
                  request,
                  response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                  });
            });
      }
      return;
    }
    CloseableHttpAsyncClient client =
        mode.equals("async-http2")
            ? HttpAsyncClients.customHttp2().useSystemProperties().build()
            : HttpAsyncClients.custom()
                .useSystemProperties()
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .build();
    client.start();
    try {
      AwsSigningScenario.run(
          args,
          step -> {
            SimpleHttpRequest request = new SimpleHttpRequest(step.method, URI.create(step.url));
            for (String[] header : step.headers) {
              request.addHeader(header[0], header[1]);
            }
            if (step.bodyKind == AwsSigningScenario.BodyKind.STREAMED) {
              return client
                  .execute(
                      new BasicRequestProducer(
                          request,
                          new OneShotStreamProducer(
                              new ByteArrayInputStream(step.body),
                              step.body.length,
                              ContentType.parse(step.contentType))),
                      SimpleResponseConsumer.create(),
                      null)
                  .get(60, TimeUnit.SECONDS)
                  .getCode();
            }
            if (step.bodyKind == AwsSigningScenario.BodyKind.BUFFERED) {
              request.setBody(step.body, ContentType.parse(step.contentType));
            }
            return client.execute(request, null).get(60, TimeUnit.SECONDS).getCode();
          });
    } finally {
      client.close();
    }
  }
}
