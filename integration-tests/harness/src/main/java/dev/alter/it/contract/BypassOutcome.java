package dev.alter.it.contract;

/**
 * What a client does with a request whose host spelling might slip past destination binding. Some
 * spellings never reach the agent because the client itself rejects them first; either way nothing
 * may be sent with the credential, so the contract checks the outcome the client declares.
 */
public final class BypassOutcome {
  enum Kind {
    NOT_TESTED,
    INJECTED,
    REFUSED_BY_AGENT,
    REFUSED_BY_CLIENT,
    REFUSED_BY_AGENT_OR_CLIENT,
    INJECTED_OR_REFUSED_BY_CLIENT
  }

  static final BypassOutcome NOT_TESTED = new BypassOutcome(Kind.NOT_TESTED, null);

  final Kind kind;

  /** The exception class the app sees when the client refuses the spelling itself. */
  final String clientException;

  private BypassOutcome(Kind kind, String clientException) {
    this.kind = kind;
    this.clientException = clientException;
  }

  /** The name is normalised to the allowed host and the request carries the credential. */
  public static BypassOutcome injected() {
    return new BypassOutcome(Kind.INJECTED, null);
  }

  /** The agent refuses with {@code host_not_allowed} before anything is sent. */
  public static BypassOutcome refusedByAgent() {
    return new BypassOutcome(Kind.REFUSED_BY_AGENT, null);
  }

  /** The client throws {@code exceptionClass} before the agent is asked; nothing is sent. */
  public static BypassOutcome refusedByClient(String exceptionClass) {
    return new BypassOutcome(Kind.REFUSED_BY_CLIENT, exceptionClass);
  }

  /** Client versions differ in whether they reject the name themselves; nothing is sent. */
  public static BypassOutcome refusedByAgentOrClient() {
    return new BypassOutcome(Kind.REFUSED_BY_AGENT_OR_CLIENT, null);
  }

  /**
   * Some client versions' own checks refuse the name with {@code exceptionClass}; others inject.
   */
  public static BypassOutcome injectedOrRefusedByClient(String exceptionClass) {
    return new BypassOutcome(Kind.INJECTED_OR_REFUSED_BY_CLIENT, exceptionClass);
  }

  boolean tested() {
    return kind != Kind.NOT_TESTED;
  }
}
