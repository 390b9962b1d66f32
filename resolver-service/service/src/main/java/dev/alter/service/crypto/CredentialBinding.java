package dev.alter.service.crypto;

import java.nio.charset.StandardCharsets;

/**
 * What a stored ciphertext belongs to. It is the GCM associated data of both the credential and its
 * wrapped data key, so a row copied onto another secret, app or version fails to decrypt.
 */
public record CredentialBinding(String appId, String secretId, long version) {
  byte[] credentialAad() {
    return ("alter/credential/v1|app=" + appId + "|secret=" + secretId + "|version=" + version)
        .getBytes(StandardCharsets.UTF_8);
  }

  byte[] dataKeyAad(String masterKeyId) {
    return ("alter/data-key/v1|mk="
            + masterKeyId
            + "|app="
            + appId
            + "|secret="
            + secretId
            + "|version="
            + version)
        .getBytes(StandardCharsets.UTF_8);
  }
}
