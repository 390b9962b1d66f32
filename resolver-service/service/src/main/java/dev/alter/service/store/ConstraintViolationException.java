package dev.alter.service.store;

/** A write broke a uniqueness or reference constraint (SQLSTATE class 23); nothing was written. */
public final class ConstraintViolationException extends RuntimeException {
  public ConstraintViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
