package dev.alter.agent.policy;

import dev.alter.contract.policy.RateLimit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate limiters of this JVM, by grant, identity and limit, so a limit keeps counting across the
 * resolve answers that carry it (a refresh does not reset it). Each agent process counts its own
 * requests.
 */
final class RateLimiters {
  private final ConcurrentHashMap<String, RequestLimiter> limiters = new ConcurrentHashMap<>();

  RequestLimiter forLimit(String grantId, String identity, RateLimit limit) {
    String key =
        grantId
            + '\n'
            + (limit.perIdentity() ? String.valueOf(identity) : "*")
            + '\n'
            + limit.requests()
            + '/'
            + limit.perSeconds();
    return limiters.computeIfAbsent(
        key, k -> new RequestLimiter(limit.requests(), limit.perSeconds() * 1000L));
  }
}
