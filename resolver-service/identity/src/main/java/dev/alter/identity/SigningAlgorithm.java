package dev.alter.identity;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS algorithms an identity provider may be allowed to use. Only asymmetric algorithms exist
 * here: with HMAC the verifier holds the signing secret, and a public key mistaken for an HMAC
 * secret is the classic JWT forgery. {@code none} is not an algorithm at all.
 */
public enum SigningAlgorithm {
  RS256(JWSAlgorithm.RS256),
  PS256(JWSAlgorithm.PS256),
  ES256(JWSAlgorithm.ES256),
  EDDSA(JWSAlgorithm.EdDSA);

  private final JWSAlgorithm jwsAlgorithm;

  SigningAlgorithm(JWSAlgorithm jwsAlgorithm) {
    this.jwsAlgorithm = jwsAlgorithm;
  }

  public JWSAlgorithm jwsAlgorithm() {
    return jwsAlgorithm;
  }

  /** The JOSE name, e.g. {@code RS256} or {@code EdDSA}. */
  public String joseName() {
    return jwsAlgorithm.getName();
  }

  /** The algorithm for a token's {@code alg} header, if it is one of ours (names are exact). */
  public static Optional<SigningAlgorithm> of(JWSAlgorithm alg) {
    return Arrays.stream(values()).filter(a -> a.jwsAlgorithm.equals(alg)).findFirst();
  }

  /**
   * Parses an operator's configuration value. Symmetric ({@code HS*}), {@code none} and unknown
   * names are refused with a message that says why.
   */
  public static SigningAlgorithm parse(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidIdentityProviderConfig("algorithms", "an algorithm name is empty");
    }
    String trimmed = name.trim();
    for (SigningAlgorithm a : values()) {
      if (a.joseName().equals(trimmed)) {
        return a;
      }
    }
    if (trimmed.regionMatches(true, 0, "HS", 0, 2)) {
      throw new InvalidIdentityProviderConfig(
          "algorithms",
          trimmed + " is symmetric (HMAC) and never accepted: only RS256, PS256, ES256 and EdDSA");
    }
    if (trimmed.equalsIgnoreCase("none")) {
      throw new InvalidIdentityProviderConfig(
          "algorithms",
          "'none' means unsigned tokens and is never accepted: only RS256, PS256, ES256 and EdDSA");
    }
    throw new InvalidIdentityProviderConfig(
        "algorithms", "unsupported algorithm; allowed are RS256, PS256, ES256 and EdDSA");
  }
}
