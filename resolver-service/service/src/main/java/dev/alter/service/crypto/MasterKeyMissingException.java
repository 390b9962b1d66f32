package dev.alter.service.crypto;

/**
 * The store holds credential versions wrapped by a master key this process was not given, so
 * serving would answer every resolve of them with an error (and new writes would split the store
 * across keys). The message names key ids, never key material.
 */
public final class MasterKeyMissingException extends RuntimeException {
  public MasterKeyMissingException(String message) {
    super(message);
  }
}
