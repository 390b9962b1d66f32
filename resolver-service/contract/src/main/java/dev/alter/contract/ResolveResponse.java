package dev.alter.contract;

import java.util.List;

/**
 * Successful answer of {@code POST /v1/resolve}. The credential itself is only inside {@link
 * #getSealed()}: HPKE-sealed to the caller's public key (see {@link CredentialSealing}).
 */
public final class ResolveResponse {
  private String grantId;
  private String secretId;
  private String provider;
  private long credentialVersion;
  private SealedBox sealed;
  private InjectionSpec injection;

  /**
   * Allowed destination patterns, e.g. {@code https://api.datadoghq.com}, {@code
   * https://*.amazonaws.com}.
   */
  private List<String> destinations;

  private int ttlSeconds;

  /** True when the sealed box also holds the grant's request policy (see CredentialSealing). */
  private boolean policySealed;

  public ResolveResponse() {}

  public boolean isPolicySealed() {
    return policySealed;
  }

  public void setPolicySealed(boolean policySealed) {
    this.policySealed = policySealed;
  }

  public String getGrantId() {
    return grantId;
  }

  public void setGrantId(String grantId) {
    this.grantId = grantId;
  }

  public String getSecretId() {
    return secretId;
  }

  public void setSecretId(String secretId) {
    this.secretId = secretId;
  }

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public long getCredentialVersion() {
    return credentialVersion;
  }

  public void setCredentialVersion(long credentialVersion) {
    this.credentialVersion = credentialVersion;
  }

  public SealedBox getSealed() {
    return sealed;
  }

  public void setSealed(SealedBox sealed) {
    this.sealed = sealed;
  }

  public InjectionSpec getInjection() {
    return injection;
  }

  public void setInjection(InjectionSpec injection) {
    this.injection = injection;
  }

  public List<String> getDestinations() {
    return destinations;
  }

  public void setDestinations(List<String> destinations) {
    this.destinations = destinations;
  }

  public int getTtlSeconds() {
    return ttlSeconds;
  }

  public void setTtlSeconds(int ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }
}
