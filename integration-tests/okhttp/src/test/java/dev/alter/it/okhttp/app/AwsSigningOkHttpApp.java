package dev.alter.it.okhttp.app;

import dev.alter.it.child.AwsSigningScenario;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Child app: hand-built AWS requests through OkHttp (3.12 to 5.x) with {@code alter-grant} and no
 * signature of its own. Arguments: port, grant, {@code HTTP_1_1} or {@code HTTP_2}. A buffered body
 * is OkHttp's own byte-array body; a streamed one a one-shot {@link RequestBody} of the app's.
 */
public final class AwsSigningOkHttpApp {
  private AwsSigningOkHttpApp() {}

  public static void main(String[] args) {
    List<Protocol> protocols =
        args[2].equals("HTTP_2")
            ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
            : List.of(Protocol.HTTP_1_1);
    OkHttpClient client =
        new OkHttpClient.Builder()
            .protocols(protocols)
            .readTimeout(60, TimeUnit.SECONDS)
            .writeTimeout(60, TimeUnit.SECONDS)
            .build();
    AwsSigningScenario.run(
        args,
        step -> {
          MediaType type = step.contentType == null ? null : MediaType.parse(step.contentType);
          RequestBody body;
          switch (step.bodyKind) {
            case BUFFERED:
              body = RequestBody.create(type, step.body);
              break;
            case STREAMED:
              body = new OneShotBody(type, step.body);
              break;
            default:
              body = null;
          }
          Request.Builder request = new Request.Builder().url(step.url).method(step.method, body);
          for (String[] header : step.headers) {
            request.addHeader(header[0], header[1]);
          }
          try (Response response = client.newCall(request.build()).execute()) {
            return response.code();
          }
        });
    // OkHttp 3.x keeps an HTTP/2 connection's threads (not daemons) until the connection closes:
    // without this the app would exit only when the server's idle timeout closes it
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** A body written from a stream the app cannot rewind (e.g. an upload being received). */
  private static final class OneShotBody extends RequestBody {
    private final MediaType type;
    private final byte[] data;
    private boolean written;

    OneShotBody(MediaType type, byte[] data) {
      this.type = type;
      this.data = data;
    }

    @Override
    public MediaType contentType() {
      return type;
    }

    @Override
    public long contentLength() {
      return data.length;
    }

    @Override
    public boolean isOneShot() {
      return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      if (written) {
        throw new IOException("this upload stream was already consumed");
      }
      written = true;
      sink.write(data);
    }
  }
}
