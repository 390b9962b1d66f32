package dev.alter.service.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Alter-Signature} header of a webhook delivery: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256>}, the MAC keyed with the receiver's signing secret (its UTF-8 bytes, {@code whsec_}
 * prefix included) over {@code <t>.<body>}. API.md documents how a receiver verifies it.
 */
public final class WebhookSignature {
  public static final String HEADER = "Alter-Signature";

  private WebhookSignature() {}

  public static String header(String signingSecret, long unixSeconds, byte[] body) {
    return "t="
        + unixSeconds
        + ",v1="
        + HexFormat.of().formatHex(mac(signingSecret, unixSeconds, body));
  }

  static byte[] mac(String signingSecret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
