package dev.alter.it.okhttp.app;

import dev.alter.it.child.ChildReport;
import dev.alter.it.child.CommandLoop;
import dev.alter.it.child.RequestLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.logging.HttpLoggingInterceptor;

/**
 * An ordinary OkHttp application, driven line by line from stdin ({@code request <RequestLine>}),
 * that reports everything it can observe of each call through OkHttp's public API: what its
 * application and network interceptors saw, what its {@code EventListener} got in {@code
 * requestHeadersEnd}, what {@code HttpLoggingInterceptor} logged at HEADERS level, and the requests
 * held by the response, its network response and every prior response. Tests check the credential
 * is in none of it.
 *
 * <p>Arguments: {@code execute} or {@code enqueue} (how {@code request} calls; the commands {@code
 * execute <RequestLine>} and {@code enqueue <RequestLine>} choose per call), then {@code HTTP_1_1}
 * or {@code HTTP_2}. Compiled against OkHttp 4.12 using only API that 3.14 and 5.x share, and run
 * on each.
 */
public final class ScriptedOkHttpClient {
  private static final MediaType TEXT = MediaType.parse("text/plain; charset=utf-8");

  private final boolean enqueue;
  private final List<Protocol> protocols;
  private final Map<Boolean, OkHttpClient> clients = new ConcurrentHashMap<>();

  /** What the current call's observers saw; one call at a time. */
  private final Observed observed = new Observed();

  ScriptedOkHttpClient(boolean enqueue, String protocol) {
    this.enqueue = enqueue;
    this.protocols =
        protocol.equals("HTTP_2")
            ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)
            : List.of(Protocol.HTTP_1_1);
  }

  public static void main(String[] args) throws Exception {
    ScriptedOkHttpClient app = new ScriptedOkHttpClient(args[0].equals("enqueue"), args[1]);
    ChildReport.create()
        .put("ready", true)
        .put("mode", args[0])
        .put("protocol", args[1])
        .put("okhttp_version", okHttpVersion())
        .put("java_version", Runtime.version().feature())
        .print();
    CommandLoop.create()
        .on("request", line -> app.request(RequestLine.parse(line), app.enqueue))
        .on("execute", line -> app.request(RequestLine.parse(line), false))
        .on("enqueue", line -> app.request(RequestLine.parse(line), true))
        .run();
    // stdin closed: the test is done with this app. OkHttp's dispatcher and HTTP/2 threads
    // would otherwise keep the JVM alive for their idle timeout.
    app.shutDown();
    System.exit(0);
  }

  private void shutDown() {
    for (OkHttpClient client : clients.values()) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** {@code okhttp3.OkHttp.VERSION} on 4.x and 5.x, {@code Version.userAgent()} on 3.x. */
  static String okHttpVersion() {
    try {
      return String.valueOf(Class.forName("okhttp3.OkHttp").getField("VERSION").get(null));
    } catch (ReflectiveOperationException notFour) {
      try {
        return String.valueOf(
                Class.forName("okhttp3.internal.Version").getMethod("userAgent").invoke(null))
            .replace("okhttp/", "");
      } catch (ReflectiveOperationException e) {
        return "unknown";
      }
    }
  }

  private OkHttpClient client(boolean followRedirects) {
    return clients.computeIfAbsent(
        followRedirects,
        follow -> {
          HttpLoggingInterceptor logging = new HttpLoggingInterceptor(observed.logLines::add);
          logging.setLevel(HttpLoggingInterceptor.Level.HEADERS);
          return new OkHttpClient.Builder()
              .protocols(protocols)
              .followRedirects(follow)
              .connectTimeout(10, TimeUnit.SECONDS)
              .readTimeout(20, TimeUnit.SECONDS)
              .addInterceptor(observing(observed.applicationInterceptor))
              .addNetworkInterceptor(observing(observed.networkInterceptor))
              .addNetworkInterceptor(logging)
              .eventListener(
                  new EventListener() {
                    @Override
                    public void callStart(Call call) {
                      observed.count("call_start");
                    }

                    @Override
                    public void connectionAcquired(Call call, Connection connection) {
                      observed.count("connection_acquired");
                    }

                    @Override
                    public void requestHeadersStart(Call call) {
                      observed.count("request_headers_start");
                    }

                    @Override
                    public void requestHeadersEnd(Call call, Request request) {
                      observed.count("request_headers_end");
                      observed.requestHeadersEnd.add(describe(request));
                    }

                    @Override
                    public void callFailed(Call call, IOException e) {
                      observed.count("call_failed");
                    }
                  })
              .build();
        });
  }

  private static Interceptor observing(List<String> into) {
    return chain -> {
      into.add(describe(chain.request()));
      return chain.proceed(chain.request());
    };
  }

  private static String describe(Request request) {
    return request.method() + " " + request.url() + "\n" + request.headers();
  }

  private static List<String> headerLines(Headers headers) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      lines.add(headers.name(i) + ": " + headers.value(i));
    }
    return lines;
  }

  private Request build(RequestLine line) {
    Request.Builder builder =
        new Request.Builder()
            .url(line.url)
            .method(line.method, line.body == null ? null : RequestBody.create(TEXT, line.body));
    for (String[] header : line.headers) {
      builder.addHeader(header[0], header[1]);
    }
    return builder.build();
  }

  ChildReport request(RequestLine line, boolean enqueue) throws InterruptedException {
    observed.clear();
    long started = System.nanoTime();
    ChildReport report = ChildReport.create();
    try {
      Call call = client(!line.redirects.equals("NEVER")).newCall(build(line));
      try (Response response = enqueue ? enqueued(call) : call.execute()) {
        report
            .put("status", response.code())
            .put("protocol", response.protocol().toString())
            .put("body", response.body().string())
            .put("response_request", describe(response.request()))
            .put("network_response_request", describe(response.networkResponse().request()))
            .put("request_headers", headerLines(response.request().headers()));
        List<String> prior = new ArrayList<>();
        for (Response p = response.priorResponse(); p != null; p = p.priorResponse()) {
          prior.add(
              p.code()
                  + " "
                  + describe(p.request())
                  + (p.networkResponse() == null
                      ? ""
                      : "\nnetwork: " + describe(p.networkResponse().request())));
        }
        report.put("prior_responses", prior);
      }
    } catch (IOException | RuntimeException e) {
      report.error(e);
    }
    return report
        .put("observed", observed.toReport())
        .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static Response enqueued(Call call) throws IOException, InterruptedException {
    CompletableFuture<Response> result = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call failed, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call succeeded, Response response) {
            result.complete(response);
          }
        });
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("no callback within 60 s", e);
    }
  }

  /** The observations of one call, by observer. */
  private static final class Observed {
    final List<String> applicationInterceptor = new CopyOnWriteArrayList<>();
    final List<String> networkInterceptor = new CopyOnWriteArrayList<>();
    final List<String> requestHeadersEnd = new CopyOnWriteArrayList<>();
    final List<String> logLines = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> events = new ConcurrentHashMap<>();

    void count(String event) {
      events.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
    }

    void clear() {
      events.clear();
      applicationInterceptor.clear();
      networkInterceptor.clear();
      requestHeadersEnd.clear();
      logLines.clear();
    }

    ChildReport toReport() {
      return ChildReport.create()
          .put("application_interceptor", new ArrayList<>(applicationInterceptor))
          .put("network_interceptor", new ArrayList<>(networkInterceptor))
          .put("event_listener_request_headers_end", new ArrayList<>(requestHeadersEnd))
          .put("logging_interceptor_headers", new ArrayList<>(logLines))
          .put("events", new TreeMap<>(events));
    }
  }
}
