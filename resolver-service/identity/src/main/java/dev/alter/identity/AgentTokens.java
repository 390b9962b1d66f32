package dev.alter.identity;

import dev.alter.contract.WireFormat;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Managed agent tokens: {@code alter_key_agent_} plus 32 random bytes (base64url, 43 characters). A
 * token is shown once, at creation or rotation; the service stores only its proof key (id and
 * public key, derived from its SHA-256). {@link #hash(String)} names a token in memory (cache
 * keys).
 */
public final class AgentTokens {
  public static final String PREFIX = WireFormat.AGENT_TOKEN_PREFIX;
  static final int RANDOM_BYTES = 32;

  /** Longer input is refused before hashing. */
  static final int MAX_CHARS = 200;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private AgentTokens() {}

  /** A fresh token for {@code agentId}. */
  public static IssuedAgentToken issue(String agentId) {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return new IssuedAgentToken(agentId, PREFIX + B64.encodeToString(bytes));
  }

  /** SHA-256 hex of the whole token, prefix included (so a token's kind cannot be edited). */
  public static String hash(String token) {
    return TokenDigest.sha256Hex(token);
  }

  /** Whether an {@code alter-identity} value is an agent token (rather than a JWT). */
  public static boolean isAgentToken(String presented) {
    return presented != null && presented.startsWith(PREFIX);
  }
}
