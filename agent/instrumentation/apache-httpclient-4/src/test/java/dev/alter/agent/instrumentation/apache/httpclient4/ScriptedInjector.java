package dev.alter.agent.instrumentation.apache.httpclient4;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the agent core behind {@link AlterBridge}: {@code grt_header} injects
 * {@code Authorization: Bearer <SECRET>} plus {@code DD-API-KEY}, {@code grt_query} appends
 * {@code api_key=<SECRET>} to the request target, anything else fails with
 * {@code grant_not_found}. Only the listed origins ({@code scheme://host:port}) are allowed
 * destinations, checked on every hop as the agent's destination binding does.
 */
final class ScriptedInjector implements RequestInjector {
  static final String SECRET = "sk-live-4e1f0c9b2a7d";

  final List<OutgoingRequest> seen = new CopyOnWriteArrayList<>();
  private final Set<String> allowedOrigins;

  ScriptedInjector(Set<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    seen.add(request);
    String grant = request.firstHeader(AlterBridge.GRANT_HEADER);
    if (grant == null) {
      return RequestRewrite.stripOnly();
    }
    String origin = request.scheme() + "://" + request.host() + ":" + request.port();
    if (!allowedOrigins.contains(origin)) {
      throw new AlterCredentialException("host_not_allowed", grant, origin + " is not allowed",
          "call an allowed host");
    }
    if ("grt_header".equals(grant)) {
      return RequestRewrite.builder().put("Authorization", "Bearer " + SECRET).put("DD-API-KEY", SECRET).build();
    }
    if ("grt_query".equals(grant)) {
      String target = request.pathAndQuery();
      return RequestRewrite.builder()
          .pathAndQuery(target + (target.contains("?") ? "&" : "?") + "api_key=" + SECRET).build();
    }
    throw new AlterCredentialException("grant_not_found", grant, "no such grant", "check the grant id");
  }
}
