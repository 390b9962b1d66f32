package dev.alter.agent.resolver;

import dev.alter.contract.WireFormat;
import dev.alter.contract.proof.ProofKey;
import dev.alter.contract.proof.RequestSigning;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs each resolve with the app key's proof key ({@code Authorization: Alter-Signature …}), so
 * the app key itself never leaves the process: a resolve request captured from the app's own logs
 * (HttpClient, java.util.logging, a TLS debug dump) holds a one-time signature bound to its body,
 * timestamp and nonce, worthless once replayed. An agent token goes the same way: the request
 * carries its signature ({@code agentSig}) instead of the token in {@code identity}.
 */
final class ResolveSigner {
  /** Distinct agent tokens remembered; a JVM normally has one. */
  private static final int MAX_AGENT_KEYS = 64;

  private final Clock clock;
  private final ConcurrentHashMap<String, ProofKey> agentKeys = new ConcurrentHashMap<>();

  /** The app key until its proof key is derived (then null). */
  private String pendingAppKey;

  private volatile ProofKey appKey;

  ResolveSigner(String appKey, Clock clock) {
    this.pendingAppKey = appKey;
    this.clock = clock;
  }

  /**
   * Derives the proof key and makes one throwaway signature, so the first resolve does not pay for
   * loading the JDK's EC provider (tens of milliseconds on a cold JVM).
   */
  void prepare() {
    authorization(URI.create("http://127.0.0.1/"), new byte[0], null);
  }

  /** Whether this identity is proven by signature rather than sent in the body. */
  static boolean provesByItsSignature(String identity) {
    return identity != null && identity.startsWith(WireFormat.AGENT_TOKEN_PREFIX);
  }

  /**
   * The {@code Authorization} value for a POST of {@code body} to {@code uri}.
   *
   * @param agentToken the agent token this request proves, or null
   */
  String authorization(URI uri, byte[] body, String agentToken) {
    return authorization("POST", uri, body, agentToken);
  }

  /**
   * The {@code Authorization} value for a {@code method} request with {@code body} to {@code uri}.
   */
  String authorization(String method, URI uri, byte[] body, String agentToken) {
    ProofKey agentKey = null;
    if (agentToken != null) {
      agentKey = agentKeys.get(agentToken);
      if (agentKey == null) {
        agentKey = ProofKey.fromKey(agentToken);
        if (agentKeys.size() >= MAX_AGENT_KEYS) {
          agentKeys.clear();
        }
        agentKeys.put(agentToken, agentKey);
      }
    }
    return RequestSigning.sign(
            appKey(), agentKey, method, uri, body, clock.millis() / 1000, RequestSigning.newNonce())
        .format();
  }

  private ProofKey appKey() {
    ProofKey key = appKey;
    if (key == null) {
      synchronized (this) {
        key = appKey;
        if (key == null) {
          key = ProofKey.fromKey(pendingAppKey);
          appKey = key;
          pendingAppKey = null;
        }
      }
    }
    return key;
  }

  @Override
  public String toString() {
    ProofKey key = appKey;
    return "ResolveSigner{" + (key == null ? "not derived" : key.toString()) + "}";
  }
}
