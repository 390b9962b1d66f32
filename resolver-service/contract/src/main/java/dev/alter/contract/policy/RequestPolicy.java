package dev.alter.contract.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a grant's policy asks of the agent for each request, sealed into the resolve answer beside
 * the credential (so nothing on the way can loosen it): the request rules (method and path), the
 * largest body, the rate limits, the identity those limits count per, and the instant after which
 * the answer must not be used at all (the end of the current time window or the grant's expiry), as
 * milliseconds from the answer's arrival so that the agent's clock being off does not stretch it.
 *
 * <p>Its text form is line-based ({@code key=value}); a key the reader does not know fails the
 * decode, so an agent never ignores a restriction it cannot enforce.
 */
public final class RequestPolicy {
  private static final String VERSION = "v=1";
  private static final int MAX_RULES = 100;

  private final List<RequestRule> rules;
  private final long maxBodyBytes;
  private final List<RateLimit> rateLimits;
  private final String identity;
  private final long validForMillis;

  /**
   * @param rules allowed requests; empty = any method and path
   * @param maxBodyBytes the largest request body, or -1 for no limit
   * @param identity what per-identity rate limits count by (the verified subject), or null
   * @param validForMillis how long after the answer arrives nothing may be injected any more, or 0
   *     for no end
   */
  public RequestPolicy(
      List<RequestRule> rules,
      long maxBodyBytes,
      List<RateLimit> rateLimits,
      String identity,
      long validForMillis) {
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException("a policy has at most " + MAX_RULES + " request rules");
    }
    if (identity != null && hasLineBreak(identity)) {
      throw new IllegalArgumentException("the identity has a line break");
    }
    this.rules = Collections.unmodifiableList(new ArrayList<>(rules));
    this.maxBodyBytes = maxBodyBytes;
    this.rateLimits = Collections.unmodifiableList(new ArrayList<>(rateLimits));
    this.identity = identity;
    this.validForMillis = validForMillis;
  }

  public List<RequestRule> rules() {
    return rules;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public List<RateLimit> rateLimits() {
    return rateLimits;
  }

  public String identity() {
    return identity;
  }

  public long validForMillis() {
    return validForMillis;
  }

  /** True when the policy restricts nothing the agent checks. */
  public boolean isEmpty() {
    return rules.isEmpty() && maxBodyBytes < 0 && rateLimits.isEmpty() && validForMillis == 0;
  }

  /**
   * Whether a rule allows {@code method} on the raw request target, matched on its normalised path
   * ({@link RequestPath}); an ambiguous path matches nothing. Without rules every request is
   * allowed. A normal path is matched in place, without allocating.
   */
  public boolean allowsRequest(String method, String target) {
    if (rules.isEmpty()) {
      return true;
    }
    int end = RequestPath.normalEnd(target);
    String path = target;
    if (end < 0) {
      path = RequestPath.normalise(target);
      if (path == null) {
        return false;
      }
      end = path.length();
    }
    for (int i = 0, n = rules.size(); i < n; i++) {
      if (rules.get(i).allows(method, path, 0, end)) {
        return true;
      }
    }
    return false;
  }

  public String encode() {
    StringBuilder out = new StringBuilder(VERSION).append('\n');
    if (validForMillis != 0) {
      out.append("valid_for_ms=").append(validForMillis).append('\n');
    }
    if (identity != null) {
      out.append("identity=").append(identity).append('\n');
    }
    if (maxBodyBytes >= 0) {
      out.append("max_body_bytes=").append(maxBodyBytes).append('\n');
    }
    for (RateLimit limit : rateLimits) {
      out.append("rate=")
          .append(limit.requests())
          .append('/')
          .append(limit.perSeconds())
          .append('/')
          .append(limit.perIdentity() ? "identity" : "grant")
          .append('\n');
    }
    for (RequestRule rule : rules) {
      out.append("rule=").append(rule).append('\n');
    }
    return out.toString();
  }

  /**
   * @throws IllegalArgumentException for a malformed text or a key this version does not know
   */
  public static RequestPolicy decode(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].equals(VERSION)) {
      throw new IllegalArgumentException("unknown policy version");
    }
    List<RequestRule> rules = new ArrayList<>();
    List<RateLimit> limits = new ArrayList<>();
    String identity = null;
    long maxBody = -1;
    long validFor = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("malformed policy line");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      try {
        switch (key) {
          case "valid_for_ms":
            validFor = Long.parseLong(value);
            break;
          case "identity":
            identity = value;
            break;
          case "max_body_bytes":
            maxBody = Long.parseLong(value);
            break;
          case "rate":
            String[] parts = value.split("/", -1);
            if (parts.length != 3 || !parts[2].equals("grant") && !parts[2].equals("identity")) {
              throw new IllegalArgumentException("malformed rate limit");
            }
            limits.add(
                new RateLimit(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    parts[2].equals("identity")));
            break;
          case "rule":
            rules.add(RequestRule.parse(value));
            break;
          default:
            throw new IllegalArgumentException("unknown policy restriction '" + key + "'");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed number in policy line '" + key + "'");
      }
    }
    return new RequestPolicy(rules, maxBody, limits, identity, validFor);
  }

  private static boolean hasLineBreak(String s) {
    return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
  }

  @Override
  public String toString() {
    return "RequestPolicy{rules="
        + rules
        + ", max_body_bytes="
        + maxBodyBytes
        + ", rate="
        + rateLimits
        + "}";
  }
}
