package dev.alter.agent.resolver;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.SealedBox;
import dev.alter.contract.X25519Keys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/**
 * This process's X25519 key pair (SECURITY.md invariant 3): generated in memory, never written
 * anywhere; the service seals every credential to its public key. {@link #lazy()} defers the
 * generation (and the loading of the JDK's XDH provider) to the first resolve, which keeps the
 * agent's share of JVM start-up small.
 */
public final class ProcessKeyPair {
  private final KeyPair keyPair;
  private final byte[] rawPublicKey;
  private final String encodedPublicKey;

  private ProcessKeyPair(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.rawPublicKey = X25519Keys.rawPublicKey(keyPair.getPublic());
    this.encodedPublicKey = CredentialSealing.encodePublicKey(rawPublicKey);
  }

  public static ProcessKeyPair generate() {
    return new ProcessKeyPair(X25519Keys.generate());
  }

  /** A supplier that generates the key pair once, on first use. */
  public static java.util.function.Supplier<ProcessKeyPair> lazy() {
    return new java.util.function.Supplier<ProcessKeyPair>() {
      private volatile ProcessKeyPair keyPair;

      @Override
      public ProcessKeyPair get() {
        ProcessKeyPair k = keyPair;
        if (k == null) {
          synchronized (this) {
            k = keyPair;
            if (k == null) {
              k = generate();
              keyPair = k;
            }
          }
        }
        return k;
      }
    };
  }

  /** The {@code public_key} field of resolve requests. */
  public String encodedPublicKey() {
    return encodedPublicKey;
  }

  public CredentialPayload open(String grantId, long version, SealedBox box)
      throws GeneralSecurityException {
    return open(grantId, version, false, box);
  }

  /**
   * @param policySealed the answer says the box also holds the grant's request policy
   */
  public CredentialPayload open(String grantId, long version, boolean policySealed, SealedBox box)
      throws GeneralSecurityException {
    return CredentialSealing.open(
        keyPair.getPrivate(), rawPublicKey.clone(), grantId, version, policySealed, box);
  }

  @Override
  public String toString() {
    return "ProcessKeyPair{public=" + encodedPublicKey + "}";
  }
}
