package dev.alter.agent.testing;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Stands in for the agent core behind {@link AlterBridge}, recording every request the hooks hand
 * it and answering by grant: {@code grt_header} injects {@code Authorization: Bearer <SECRET>} plus
 * {@code DD-API-KEY: <SECRET>}, {@code grt_dd} only the latter, {@code grt_bearer} only the former,
 * {@code grt_query} appends {@code api_key=<SECRET>} to the request target; anything else fails
 * with {@code grant_not_found}. A tagged request to a destination it does not allow fails with
 * {@code host_not_allowed}, checked on every hop as the agent's destination binding does.
 */
public final class ScriptedInjector implements RequestInjector {
  public static final String SECRET = "sk-live-4e1f0c9b2a7d";

  public final List<OutgoingRequest> seen = new CopyOnWriteArrayList<>();
  private final Predicate<OutgoingRequest> allowed;
  private final String allowedDescription;

  private ScriptedInjector(Predicate<OutgoingRequest> allowed, String allowedDescription) {
    this.allowed = allowed;
    this.allowedDescription = allowedDescription;
  }

  /** Allows exactly these origins, {@code scheme://host:port}. */
  public static ScriptedInjector allowingOrigins(Set<String> origins) {
    return new ScriptedInjector(
        r -> origins.contains(r.scheme() + "://" + r.host() + ":" + r.port()),
        String.join(", ", origins));
  }

  /** Allows {@code host} on {@code port}, over either scheme. */
  public static ScriptedInjector allowingHost(String host, int port) {
    return new ScriptedInjector(r -> r.host().equals(host) && r.port() == port, host + ":" + port);
  }

  /** Allows {@code host} on any port, over either scheme. */
  public static ScriptedInjector allowingHost(String host) {
    return new ScriptedInjector(r -> r.host().equals(host), host);
  }

  /** Makes this the injector the bridge calls, and answers it. */
  public ScriptedInjector installed() {
    AlterBridge.install(this);
    return this;
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    seen.add(request);
    String grant = request.firstHeader(AlterBridge.GRANT_HEADER);
    if (grant == null) {
      return RequestRewrite.stripOnly();
    }
    if (!allowed.test(request)) {
      throw new AlterCredentialException(
          "host_not_allowed",
          grant,
          request.scheme()
              + "://"
              + request.host()
              + ":"
              + request.port()
              + " is not an allowed destination ("
              + allowedDescription
              + ")",
          "call an allowed host");
    }
    switch (grant) {
      case "grt_header":
        return RequestRewrite.builder()
            .put("Authorization", "Bearer " + SECRET)
            .put("DD-API-KEY", SECRET)
            .build();
      case "grt_dd":
        return RequestRewrite.builder().put("DD-API-KEY", SECRET).build();
      case "grt_bearer":
        return RequestRewrite.builder().put("Authorization", "Bearer " + SECRET).build();
      case "grt_query":
        String target = request.pathAndQuery();
        return RequestRewrite.builder()
            .pathAndQuery(target + (target.contains("?") ? "&" : "?") + "api_key=" + SECRET)
            .build();
      default:
        throw new AlterCredentialException(
            "grant_not_found", grant, "no such grant", "check the grant id");
    }
  }
}
