import dev.alter.it.child.AwsSigningScenario;
import java.io.ByteArrayInputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.dynamic.HttpClientTransportDynamic;
import org.eclipse.jetty.client.http.HttpClientConnectionFactory;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.client.util.InputStreamRequestContent;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.http.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Child app: hand-built AWS requests ({@link AwsSigningScenario}) through Jetty 10 or 11's
 * HttpClient with {@code alter-grant} and no signature of its own. Arguments: port, grant, {@code HTTP11} or {@code
 * H2}. A buffered body is a {@link BytesRequestContent}, a streamed one an {@link
 * InputStreamRequestContent}. Launched in source-file mode; the twin for Jetty 12 differs only
 * in its imports.
 */
public final class AwsSigningJetty11App {
  public static void main(String[] args) throws Exception {
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(new SslContextFactory.Client());
    HttpClient client =
        args[2].equals("H2")
            ? new HttpClient(
                new HttpClientTransportDynamic(
                    connector,
                    new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)),
                    HttpClientConnectionFactory.HTTP11))
            : new HttpClient(new HttpClientTransportDynamic(connector));
    client.start();
    try {
      AwsSigningScenario.run(
          args,
          step -> {
            Request request =
                client
                    .newRequest(step.url)
                    .method(step.method)
                    .timeout(60, TimeUnit.SECONDS)
                    .headers(
                        headers -> {
                          for (String[] header : step.headers) {
                            headers.add(header[0], header[1]);
                          }
                        });
            if (step.bodyKind == AwsSigningScenario.BodyKind.BUFFERED) {
              request.body(new BytesRequestContent(step.contentType, step.body));
            } else if (step.bodyKind == AwsSigningScenario.BodyKind.STREAMED) {
              request.body(
                  new InputStreamRequestContent(
                      step.contentType, new ByteArrayInputStream(step.body)));
            }
            try {
              return request.send().getStatus();
            } catch (ExecutionException e) {
              // what the application sees of a failed send: Jetty wraps the cause
              throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
          });
    } finally {
      client.stop();
    }
  }
}
