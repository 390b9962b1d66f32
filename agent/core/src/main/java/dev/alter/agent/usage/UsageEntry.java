package dev.alter.agent.usage;

import java.time.Instant;
import java.util.Map;

/** One grant's (and identity digest's) counts in one minute, as {@code /v1/usage/report} takes. */
public final class UsageEntry {
  final String grantId;
  final String identityDigest;
  final long minuteMillis;
  final long injected;
  final Map<String, Long> refused;
  final long[] responseClasses;
  final long status401;
  final long status403;
  final long status429;

  UsageEntry(
      String grantId,
      String identityDigest,
      long minuteMillis,
      long injected,
      Map<String, Long> refused,
      long[] responseClasses,
      long status401,
      long status403,
      long status429) {
    this.grantId = grantId;
    this.identityDigest = identityDigest;
    this.minuteMillis = minuteMillis;
    this.injected = injected;
    this.refused = refused;
    this.responseClasses = responseClasses;
    this.status401 = status401;
    this.status403 = status403;
    this.status429 = status429;
  }

  public String grantId() {
    return grantId;
  }

  public long injected() {
    return injected;
  }

  public Map<String, Long> refused() {
    return refused;
  }

  /** Responses of status class {@code n}xx (1 to 5). */
  public long responses(int statusClass) {
    return responseClasses[statusClass - 1];
  }

  /**
   * The report body for these entries. Grant ids, digests and codes are checked ASCII tokens, so
   * they need no escaping.
   */
  public static byte[] reportJson(String batchId, Iterable<UsageEntry> entries) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"batch_id\":\"").append(batchId).append("\",\"entries\":[");
    boolean first = true;
    for (UsageEntry e : entries) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"grant_id\":\"").append(e.grantId).append('"');
      if (e.identityDigest != null) {
        sb.append(",\"identity_digest\":\"").append(e.identityDigest).append('"');
      }
      sb.append(",\"minute\":\"").append(Instant.ofEpochMilli(e.minuteMillis)).append('"');
      sb.append(",\"injected\":").append(e.injected);
      sb.append(",\"refused\":{");
      boolean firstCode = true;
      for (Map.Entry<String, Long> r : e.refused.entrySet()) {
        if (!firstCode) {
          sb.append(',');
        }
        firstCode = false;
        sb.append('"').append(r.getKey()).append("\":").append(r.getValue());
      }
      sb.append("},\"responses\":{");
      for (int i = 0; i < 5; i++) {
        sb.append(i == 0 ? "" : ",")
            .append('"')
            .append(i + 1)
            .append("xx\":")
            .append(e.responseClasses[i]);
      }
      sb.append("},\"401\":").append(e.status401);
      sb.append(",\"403\":").append(e.status403);
      sb.append(",\"429\":").append(e.status429).append('}');
    }
    return sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
