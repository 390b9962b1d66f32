package dev.alter.contract;

/**
 * Body of {@code POST /v1/resolve}, sent with {@code Authorization: Bearer alter_key_app_…}.
 *
 * <pre>
 * {"grant": "grt_…" | "@datadog",
 *  "identity": "&lt;jwt or agent token&gt;" (optional),
 *  "destination": {"method": "GET", "url": "https://api.datadoghq.com/api/v1/validate"},
 *  "public_key": "&lt;base64url, unpadded, raw 32-byte X25519 public key&gt;",
 *  "signing_date": "20261128" (optional: the caller's UTC date, for signing secrets such as AWS)}
 * </pre>
 */
public final class ResolveRequest {
  private String grant;
  private String identity;
  private Destination destination;
  private String publicKey;
  private String signingDate;

  public ResolveRequest() {}

  public ResolveRequest(String grant, String identity, Destination destination, String publicKey) {
    this.grant = grant;
    this.identity = identity;
    this.destination = destination;
    this.publicKey = publicKey;
  }

  public String getGrant() {
    return grant;
  }

  public void setGrant(String grant) {
    this.grant = grant;
  }

  public String getIdentity() {
    return identity;
  }

  public void setIdentity(String identity) {
    this.identity = identity;
  }

  public Destination getDestination() {
    return destination;
  }

  public void setDestination(Destination destination) {
    this.destination = destination;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  /** {@code yyyyMMdd} (UTC) the caller will sign for; the service accepts its own date ±1 day. */
  public String getSigningDate() {
    return signingDate;
  }

  public void setSigningDate(String signingDate) {
    this.signingDate = signingDate;
  }

  /** Never prints the identity token. */
  @Override
  public String toString() {
    return "ResolveRequest{grant="
        + grant
        + ", identity="
        + (identity == null ? "none" : "[redacted]")
        + ", destination="
        + destination
        + "}";
  }

  /** The request the app is about to send. */
  public static final class Destination {
    private String method;
    private String url;

    public Destination() {}

    public Destination(String method, String url) {
      this.method = method;
      this.url = url;
    }

    public String getMethod() {
      return method;
    }

    public void setMethod(String method) {
      this.method = method;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    @Override
    public String toString() {
      return method + " " + url;
    }
  }
}
