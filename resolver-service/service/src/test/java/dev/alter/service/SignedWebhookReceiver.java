package dev.alter.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver written the way API.md tells receivers to verify deliveries (the same code as
 * its snippet): signature over {@code t.body}, a five-minute tolerance, and each event id accepted
 * once. It records what it accepted; while {@link #down} it answers 503.
 */
final class SignedWebhookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private volatile String secret;
  volatile boolean down;
  private final List<JsonNode> accepted = new ArrayList<>();
  private final Set<String> seenEventIds = new HashSet<>();
  private final List<Delivery> raw = new ArrayList<>();
  private int duplicates;

  /** One delivery as it came over the wire. */
  record Delivery(String signatureHeader, byte[] body) {}

  private int attempts;
  private int rejected;

  SignedWebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          int status =
              receive(
                  exchange.getRequestHeaders().getFirst("Alter-Signature"),
                  body,
                  System.currentTimeMillis() / 1000);
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String signingSecret) {
    this.secret = signingSecret;
  }

  /** What the receiver answers to one delivery. */
  synchronized int receive(String signatureHeader, byte[] body, long nowSeconds) {
    attempts++;
    if (down) {
      return 503;
    }
    if (secret == null || !verify(secret, signatureHeader, body, nowSeconds)) {
      rejected++;
      return 400;
    }
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (IOException e) {
      rejected++;
      return 400;
    }
    // at-least-once: a repeat is acknowledged and dropped; a replay never counts twice
    if (seenEventIds.add(event.path("event_id").asText())) {
      accepted.add(event);
      raw.add(new Delivery(signatureHeader, body));
    } else {
      duplicates++;
    }
    return 204;
  }

  /** API.md, "Verifying a delivery". */
  static boolean verify(String secret, String header, byte[] body, long nowSeconds) {
    if (header == null) {
      return false;
    }
    long t = -1;
    byte[] v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      try {
        if (kv[0].equals("t")) {
          t = Long.parseLong(kv[1]);
        } else if (kv[0].equals("v1")) {
          v1 = HexFormat.of().parseHex(kv[1]);
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (t < 0 || v1 == null || Math.abs(nowSeconds - t) > 300) {
      return false; // unsigned, malformed, or too old: a replay
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return MessageDigest.isEqual(mac.doFinal(body), v1);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  synchronized List<JsonNode> accepted() {
    return new ArrayList<>(accepted);
  }

  synchronized int attempts() {
    return attempts;
  }

  synchronized int rejected() {
    return rejected;
  }

  synchronized List<Delivery> raw() {
    return new ArrayList<>(raw);
  }

  /** Deliveries answered 2xx that repeated an event already accepted. */
  synchronized int duplicates() {
    return duplicates;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
