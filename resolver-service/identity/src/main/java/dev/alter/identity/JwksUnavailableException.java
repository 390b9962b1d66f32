package dev.alter.identity;

/**
 * The key set could not be obtained (endpoint failing past the outage tolerance, unparsable, …).
 */
public final class JwksUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public JwksUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
