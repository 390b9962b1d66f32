package dev.alter.identity;

/**
 * A managed agent's proof that it holds its token, made instead of sending the token: the signature
 * ({@code agentSig}) of the request's signed string by the token's proof key ({@code agentKeyId}),
 * see {@code dev.alter.contract.proof.RequestSigning}. The service checks the timestamp and nonce
 * of that string before it gets here.
 */
public record AgentTokenProof(String keyId, String signedString, String signature) {

  @Override
  public String toString() {
    return "AgentTokenProof{" + keyId + "}";
  }
}
