package dev.alter.agent.resolver;

import dev.alter.agent.bootstrap.OutgoingRequest;
import java.util.Locale;

/**
 * What one tagged request asks the resolver for: the grant, the identity it acts as, the AWS scope
 * its host implies, and the request whose destination the service checks. The destination's origin
 * and URL are built only when the service has to be asked; a warm cache needs neither.
 */
public final class GrantRequest {
  final String grant;
  final String identity;
  final String scopeHint;
  private final OutgoingRequest request;

  /**
   * @param grant {@code grt_…} or {@code @provider}
   * @param identity the {@code alter-identity} token (or the JVM's agent token), or null
   * @param scopeHint {@code region/service} when the destination is an AWS endpoint host (its
   *     derived key is cached apart from other services' keys under the same grant), else null
   */
  public GrantRequest(String grant, String identity, String scopeHint, OutgoingRequest request) {
    this.grant = grant;
    this.identity = identity;
    this.scopeHint = scopeHint;
    this.request = request;
  }

  /** The SHA-256 (hex) of an identity token, as the credential cache keys it; never the token. */
  public static String digestOf(String identity) {
    return CredentialCache.identityDigest(identity);
  }

  String method() {
    return request.method();
  }

  /** {@code scheme://host:port} of the hop, for single-flight bookkeeping. */
  String origin() {
    String scheme = request.scheme() == null ? "" : request.scheme().toLowerCase(Locale.ROOT);
    int port = request.port() > 0 ? request.port() : "https".equals(scheme) ? 443 : 80;
    return scheme + "://" + request.host() + ":" + port;
  }

  /** The destination URL (no userinfo) the service checks against the secret's destinations. */
  String url() {
    return request.url();
  }
}
