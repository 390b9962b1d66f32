package dev.alter.it.contract;

/**
 * What a client under {@link AbstractClientContract} supports and how it treats the bypass
 * spellings, declared by the client's test class in {@link AbstractClientContract#configure}.
 * Defaults describe an HTTP/1.1 client that hands every spelling to the agent.
 */
public final class ClientContractOptions {
  boolean http2;
  boolean keepsTheAppsContentType = true;
  boolean plainHttpRequestMayRepeat;
  boolean invisibilityOnAPlaceholder;
  BypassOutcome userinfoHost = BypassOutcome.refusedByAgent();
  BypassOutcome unicodeLookAlike = BypassOutcome.NOT_TESTED;
  BypassOutcome underscoreHostOverTls = BypassOutcome.NOT_TESTED;
  BypassOutcome underscoreHostOverPlainHttp = BypassOutcome.NOT_TESTED;
  BypassOutcome trailingDotOverTls = BypassOutcome.NOT_TESTED;
  BypassOutcome trailingDotOverPlainHttp = BypassOutcome.NOT_TESTED;

  boolean timedPolicyCases;
  boolean policyWindowClose;
  boolean streamsRequestBodies;
  boolean connectionPerCall;

  ClientContractOptions() {}

  /**
   * The client sends request bodies without declaring their length (Apache's async HTTP/2 client
   * streams its entity producers): a grant's body-size rule refuses them, since the agent cannot
   * know the size before anything is sent.
   */
  public ClientContractOptions streamsRequestBodies(boolean streams) {
    this.streamsRequestBodies = streams;
    return this;
  }

  /**
   * Runs the timed grant-policy case, a rate limit of N per second (a few seconds), so one variant
   * per client family opts in. It also shows that every request of a warm app passes the grant's
   * policy, which is what a closing time window relies on.
   */
  public ClientContractOptions timedPolicyCases(boolean run) {
    this.timedPolicyCases = run;
    return this;
  }

  /**
   * Runs the time window that closes while the app runs; it waits for the next whole minute (up to
   * about 70 s). The close is enforced by the agent's core for every client alike (the grant's
   * policy carries the window's end; each request is checked against it), so one variant of the
   * whole matrix opts in.
   */
  public ClientContractOptions policyWindowClose(boolean run) {
    this.policyWindowClose = run;
    return this;
  }

  /**
   * The app turns keep-alive off (each call dials its own connection), so connection reuse is not
   * its to show.
   */
  public ClientContractOptions connectionPerCall(boolean perCall) {
    this.connectionPerCall = perCall;
    return this;
  }

  /** The client talks HTTP/2 to the provider (negotiated by ALPN). */
  public ClientContractOptions http2(boolean http2) {
    this.http2 = http2;
    return this;
  }

  /** False where the client derives Content-Type from its body object, not the app's header. */
  public ClientContractOptions keepsTheAppsContentType(boolean keeps) {
    this.keepsTheAppsContentType = keeps;
    return this;
  }

  /** True where the client may send a plain-HTTP request more than once (e.g. an h2c attempt). */
  public ClientContractOptions plainHttpRequestMayRepeat(boolean mayRepeat) {
    this.plainHttpRequestMayRepeat = mayRepeat;
    return this;
  }

  /**
   * True where the invisibility test should watch the app's own {@code Authorization} placeholder
   * being replaced (the Stripe secret) rather than {@code DD-API-KEY} being added.
   */
  public ClientContractOptions invisibilityOnAPlaceholder(boolean onAPlaceholder) {
    this.invisibilityOnAPlaceholder = onAPlaceholder;
    return this;
  }

  /** {@code https://allowed:port@evil.test:port/}. */
  public ClientContractOptions userinfoHost(BypassOutcome outcome) {
    this.userinfoHost = outcome;
    return this;
  }

  /** The Unicode spelling of the look-alike host (its IDNA form is always refused by the agent). */
  public ClientContractOptions unicodeLookAlike(BypassOutcome outcome) {
    this.unicodeLookAlike = outcome;
    return this;
  }

  public ClientContractOptions underscoreHostOverTls(BypassOutcome outcome) {
    this.underscoreHostOverTls = outcome;
    return this;
  }

  public ClientContractOptions underscoreHostOverPlainHttp(BypassOutcome outcome) {
    this.underscoreHostOverPlainHttp = outcome;
    return this;
  }

  /** {@code https://api.datadoghq.com.:port/} to the Datadog secret. */
  public ClientContractOptions trailingDotOverTls(BypassOutcome outcome) {
    this.trailingDotOverTls = outcome;
    return this;
  }

  /** {@code http://localhost.:port/} to the secret that allows plain HTTP to localhost. */
  public ClientContractOptions trailingDotOverPlainHttp(BypassOutcome outcome) {
    this.trailingDotOverPlainHttp = outcome;
    return this;
  }
}
