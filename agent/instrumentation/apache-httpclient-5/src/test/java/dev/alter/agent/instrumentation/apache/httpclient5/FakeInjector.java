package dev.alter.agent.instrumentation.apache.httpclient5;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the agent core behind the bridge: records every request the hooks hand it and
 * answers by grant. {@code grt_dd} injects a Datadog key, {@code grt_bearer} a bearer token,
 * {@code grt_query} a query parameter; anything else is refused as the resolver would refuse an
 * unknown grant. Only {@code allowedHost} may receive a credential (destination binding).
 */
final class FakeInjector implements RequestInjector {
  static final String DD_KEY = "dd-key-5f1e0c7a9b2d4e6f";
  static final String BEARER = "sk-live-7a9b2d4e6f5f1e0c";
  static final String QUERY_KEY = "qk-0c7a9b2d4e6f5f1e";

  final List<OutgoingRequest> seen = new CopyOnWriteArrayList<>();
  volatile String allowedHost = "127.0.0.1";

  static FakeInjector installed() {
    FakeInjector injector = new FakeInjector();
    AlterBridge.install(injector);
    return injector;
  }

  @Override
  public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    seen.add(request);
    String grant = request.firstHeader(AlterBridge.GRANT_HEADER);
    if (grant == null) {
      return RequestRewrite.stripOnly();
    }
    if (!request.host().equals(allowedHost)) {
      throw new AlterCredentialException("host_not_allowed", grant,
          request.scheme() + "://" + request.host() + " is not an allowed destination", "use an allowed host");
    }
    switch (grant) {
      case "grt_dd":
        return RequestRewrite.builder().put("DD-API-KEY", DD_KEY).build();
      case "grt_bearer":
        return RequestRewrite.builder().put("Authorization", "Bearer " + BEARER).build();
      case "grt_query":
        String target = request.pathAndQuery();
        return RequestRewrite.builder()
            .pathAndQuery(target + (target.contains("?") ? "&" : "?") + "api_key=" + QUERY_KEY).build();
      default:
        throw new AlterCredentialException("grant_not_found", grant, "no such grant", "check the grant id");
    }
  }
}
