package dev.alter.service.store;

/** The database could not complete the work; the transaction was rolled back. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
