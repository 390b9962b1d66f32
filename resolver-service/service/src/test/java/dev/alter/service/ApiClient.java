package dev.alter.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/** A small HTTP client for the tests; remembers every response body (for the canary test). */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  final List<String> bodies = new CopyOnWriteArrayList<>();

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public record Response(int status, String body, String contentType) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String text(String field) {
      return json().path(field).asText(null);
    }

    /** The problem code of an error answer. */
    public String code() {
      return json().path("code").asText(null);
    }
  }

  public Response get(String path, String key) {
    return send("GET", path, key, null);
  }

  public Response post(String path, String key, String body) {
    return send("POST", path, key, body);
  }

  public Response put(String path, String key, String body) {
    return send("PUT", path, key, body);
  }

  public Response patch(String path, String key, String body) {
    return send("PATCH", path, key, body);
  }

  public Response delete(String path, String key) {
    return send("DELETE", path, key, null);
  }

  public Response send(String method, String path, String key, String body) {
    return sendWithAuthorization(method, path, key == null ? null : "Bearer " + key, body);
  }

  /**
   * POSTs {@code body} in 8 KiB pieces with a pause between them, as a client on a slow link does;
   * with {@code declareLength} false it goes chunked, without a Content-Length.
   */
  public Response postSlowly(String path, String key, String body, boolean declareLength) {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Flow.Publisher<ByteBuffer> trickle = new Trickle(bytes, 8192, Duration.ofMillis(2));
    return exchange(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .POST(
                declareLength
                    ? HttpRequest.BodyPublishers.fromPublisher(trickle, bytes.length)
                    : HttpRequest.BodyPublishers.fromPublisher(trickle))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json"));
  }

  /** A body publisher that hands out its bytes piece by piece, pausing before each piece. */
  private static final class Trickle implements Flow.Publisher<ByteBuffer> {
    private final byte[] data;
    private final int piece;
    private final Duration pause;

    Trickle(byte[] data, int piece, Duration pause) {
      this.data = data;
      this.piece = piece;
      this.pause = pause;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      java.util.concurrent.Semaphore demand = new java.util.concurrent.Semaphore(0);
      java.util.concurrent.atomic.AtomicBoolean cancelled =
          new java.util.concurrent.atomic.AtomicBoolean();
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              demand.release((int) Math.min(n, Integer.MAX_VALUE / 2));
            }

            @Override
            public void cancel() {
              cancelled.set(true);
              demand.release();
            }
          });
      Thread pump =
          new Thread(
              () -> {
                try {
                  for (int at = 0; at < data.length && !cancelled.get(); at += piece) {
                    demand.acquire();
                    Thread.sleep(pause.toMillis());
                    if (!cancelled.get()) {
                      subscriber.onNext(
                          ByteBuffer.wrap(data, at, Math.min(piece, data.length - at)).slice());
                    }
                  }
                  if (!cancelled.get()) {
                    subscriber.onComplete();
                  }
                } catch (InterruptedException e) {
                  subscriber.onError(e);
                }
              },
              "trickle-body");
      pump.setDaemon(true);
      pump.start();
    }
  }

  /**
   * POSTs {@code body} signed as the agent signs a resolve: {@code Alter-Signature} made with the
   * app key's proof key (and the agent token's, when not null) at {@code epochSeconds}.
   */
  public Response postSigned(
      String path, String appKey, String agentToken, String body, long epochSeconds, String nonce) {
    return sendWithAuthorization(
        "POST", path, signature(path, appKey, agentToken, body, epochSeconds, nonce), body);
  }

  /** The {@code Authorization} value {@link #postSigned} sends. */
  public String signature(
      String path, String appKey, String agentToken, String body, long epochSeconds, String nonce) {
    return signature("POST", path, appKey, agentToken, body, epochSeconds, nonce);
  }

  /**
   * As {@link #signature(String, String, String, String, long, String)} for any method; a null body
   * signs as empty.
   */
  public String signature(
      String method,
      String path,
      String appKey,
      String agentToken,
      String body,
      long epochSeconds,
      String nonce) {
    return RequestSigning.sign(
            ProofKey.fromKey(appKey),
            agentToken == null ? null : ProofKey.fromKey(agentToken),
            method,
            URI.create(baseUrl + path),
            body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            epochSeconds,
            nonce)
        .format();
  }

  /** Sends {@code authorization} verbatim as the Authorization header (null: none). */
  public Response sendWithAuthorization(
      String method, String path, String authorization, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return exchange(b);
  }

  /** POSTs these exact bytes as a JSON body (for bodies that are not well-formed UTF-8). */
  public Response postBytes(String path, String key, byte[] body) {
    return exchange(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json"));
  }

  private Response exchange(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      bodies.add(r.body());
      return new Response(
          r.statusCode(), r.body(), r.headers().firstValue("content-type").orElse(""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * JSON string literal for a value (tests build bodies by hand to send exactly what they mean).
   */
  public static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
