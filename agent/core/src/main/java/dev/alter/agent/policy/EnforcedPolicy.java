package dev.alter.agent.policy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.injection.aws.ClientBodyReaders;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.policy.RateLimit;
import dev.alter.contract.policy.RequestPath;
import dev.alter.contract.policy.RequestPolicy;
import java.time.Instant;
import java.util.List;

/**
 * A grant's request policy, compiled once per resolve answer, checked on every request that answer
 * serves before anything is sent: the end of the current window or expiry, the method and
 * normalised path, the body size, then the rate limits (last, so a refused request uses no rate). A
 * refusal fails the request with {@code policy_violation} naming the rule, and is counted for the
 * aggregated report. The warm path of an allowed request with a normal path allocates nothing.
 */
public final class EnforcedPolicy {
  private final String grantId;
  private final RequestPolicy policy;

  /** Epoch millis (agent clock) from which nothing may be injected; 0 for no end. */
  private final long validUntil;

  private final RequestLimiter[] limiters;
  private final String[] limiterRules;
  private final PolicyRefusals refusals;

  private EnforcedPolicy(
      String grantId,
      RequestPolicy policy,
      long validUntil,
      RequestLimiter[] limiters,
      String[] limiterRules,
      PolicyRefusals refusals) {
    this.grantId = grantId;
    this.policy = policy;
    this.validUntil = validUntil;
    this.limiters = limiters;
    this.limiterRules = limiterRules;
    this.refusals = refusals;
  }

  /**
   * Compiles the policy of one answer as it arrives; its rate limiters are the JVM's for this
   * grant, and its end is counted from now on the registry's clock.
   */
  public static EnforcedPolicy compile(String grantId, RequestPolicy policy, Registry registry) {
    long validFor = policy.validForMillis();
    long validUntil = validFor == 0 ? 0 : registry.clock.millis() + validFor;
    List<RateLimit> limits = policy.rateLimits();
    RequestLimiter[] limiters = new RequestLimiter[limits.size()];
    String[] rules = new String[limits.size()];
    for (int i = 0; i < limiters.length; i++) {
      limiters[i] = registry.limiters.forLimit(grantId, policy.identity(), limits.get(i));
      rules[i] = limits.get(i).toString();
    }
    return new EnforcedPolicy(grantId, policy, validUntil, limiters, rules, registry.refusals);
  }

  public RequestPolicy policy() {
    return policy;
  }

  /**
   * @param grant the grant as the request named it (for the message)
   * @throws AlterCredentialException {@code policy_violation} naming the rule; nothing is sent
   */
  public void check(String grant, OutgoingRequest request, long nowMillis)
      throws AlterCredentialException {
    if (validUntil != 0 && nowMillis >= validUntil) {
      throw refuse(
          grant,
          "valid_until",
          "the grant's current time window or its expiry ended at "
              + Instant.ofEpochMilli(validUntil),
          nowMillis);
    }
    if (!policy.allowsRequest(request.method(), request.pathAndQuery())) {
      String path = RequestPath.normalise(request.pathAndQuery());
      throw refuse(
          grant,
          "requests",
          path == null
              ? "the request path is ambiguous (an encoded '/' or '\\', a control character,"
                  + " malformed %-encoding or a '..;' segment) and matches no rule"
              : "no rule allows " + request.method() + " " + (path.isEmpty() ? "/" : path),
          nowMillis);
    }
    long maxBody = policy.maxBodyBytes();
    if (maxBody >= 0) {
      long length = bodyLength(request);
      if (length < 0) {
        throw refuse(
            grant,
            "max_body_bytes",
            "the body's length is not declared (streamed), and the grant allows at most "
                + maxBody
                + " bytes",
            nowMillis);
      }
      if (length > maxBody) {
        throw refuse(
            grant,
            "max_body_bytes",
            "the body has " + length + " bytes, over the grant's limit of " + maxBody,
            nowMillis);
      }
    }
    for (int i = 0; i < limiters.length; i++) {
      if (!limiters[i].tryAcquire(nowMillis)) {
        throw refuse(grant, limiterRules[i], "the rate limit is reached", nowMillis);
      }
    }
  }

  private AlterCredentialException refuse(
      String grant, String rule, String detail, long nowMillis) {
    refusals.record(grantId, rule, nowMillis);
    return new AlterCredentialException(
        ErrorCode.POLICY_VIOLATION.code(),
        grant,
        "refused by rule " + rule + ": " + detail,
        ErrorCode.POLICY_VIOLATION.fix());
  }

  /**
   * The request body's length as the client will send it: none, the buffered length, the declared
   * {@code Content-Length}, or what the client's body object declares; -1 when nothing says.
   */
  static long bodyLength(OutgoingRequest request) {
    OutgoingBody body = request.body();
    switch (body.kind()) {
      case NONE:
        return 0;
      case BYTES:
        return body.length();
      default:
        break;
    }
    String declared = request.firstHeader("Content-Length");
    if (declared != null) {
      try {
        long n = Long.parseLong(declared.trim());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException malformed) {
        return -1;
      }
    }
    if (body.kind() == OutgoingBody.Kind.STREAMED && body.declaredLength() >= 0) {
      return body.declaredLength();
    }
    if (body.kind() == OutgoingBody.Kind.CLIENT_OBJECT) {
      return ClientBodyReaders.contentLength(body.family(), body.content());
    }
    return -1;
  }

  /** What every answer's policy of this JVM shares: the rate limiters and the refusal counts. */
  public static final class Registry {
    final RateLimiters limiters = new RateLimiters();
    final PolicyRefusals refusals;
    final java.time.Clock clock;

    public Registry(PolicyRefusals refusals) {
      this(refusals, java.time.Clock.systemUTC());
    }

    /**
     * @param clock the clock the injector checks against (an answer's end is counted on it)
     */
    public Registry(PolicyRefusals refusals, java.time.Clock clock) {
      this.refusals = refusals;
      this.clock = clock;
    }

    public PolicyRefusals refusals() {
      return refusals;
    }
  }

  @Override
  public String toString() {
    return "EnforcedPolicy{grant=" + grantId + ", " + policy + "}";
  }
}
