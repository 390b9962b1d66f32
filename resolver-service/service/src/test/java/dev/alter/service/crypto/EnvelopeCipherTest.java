package dev.alter.service.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
  private static MasterKey randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return MasterKey.of(k);
  }

  private final MasterKey keyA = randomKey();
  private final EnvelopeCipher cipher = new EnvelopeCipher(new MasterKeyring(keyA, List.of()));
  private final CredentialBinding binding = new CredentialBinding("app_1", "ms_1", 3);
  private final byte[] plaintext = "the-credential".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTrips() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    assertThat(e.masterKeyId()).isEqualTo(keyA.id());
    assertThat(e.nonce()).hasSize(12);
    assertThat(new String(e.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain("the-credential");
    assertThat(cipher.decrypt(binding, e)).isEqualTo(plaintext);
  }

  @Test
  void everyVersionGetsItsOwnDataKeyAndNonce() throws Exception {
    EncryptedCredential one = cipher.encrypt(binding, plaintext);
    EncryptedCredential two = cipher.encrypt(binding, plaintext);
    assertThat(one.nonce()).isNotEqualTo(two.nonce());
    assertThat(one.wrappedKey()).isNotEqualTo(two.wrappedKey());
    assertThat(one.ciphertext()).isNotEqualTo(two.ciphertext());
  }

  @Test
  void aFlippedBitAnywhereFailsToDecrypt() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    for (int field = 0; field < 3; field++) {
      byte[] ct = e.ciphertext().clone();
      byte[] nonce = e.nonce().clone();
      byte[] wrapped = e.wrappedKey().clone();
      byte[] target = field == 0 ? ct : field == 1 ? nonce : wrapped;
      target[target.length / 2] ^= 0x01;
      EncryptedCredential tampered = new EncryptedCredential(e.masterKeyId(), wrapped, nonce, ct);
      assertThatThrownBy(() -> cipher.decrypt(binding, tampered))
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void aSwappedAssociatedDataFieldFailsToDecrypt() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    for (CredentialBinding other :
        List.of(
            new CredentialBinding("app_2", "ms_1", 3),
            new CredentialBinding("app_1", "ms_2", 3),
            new CredentialBinding("app_1", "ms_1", 4))) {
      assertThatThrownBy(() -> cipher.decrypt(other, e))
          .as(other.toString())
          .isInstanceOf(GeneralSecurityException.class);
    }
  }

  @Test
  void swappedRowsFailToDecrypt() throws Exception {
    CredentialBinding rowA = new CredentialBinding("app_1", "ms_a", 1);
    CredentialBinding rowB = new CredentialBinding("app_1", "ms_b", 1);
    EncryptedCredential a = cipher.encrypt(rowA, "a-value".getBytes(StandardCharsets.UTF_8));
    EncryptedCredential b = cipher.encrypt(rowB, "b-value".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> cipher.decrypt(rowA, b)).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> cipher.decrypt(rowB, a)).isInstanceOf(GeneralSecurityException.class);
    // mixing the wrapped key of one row with the ciphertext of another fails too
    EncryptedCredential mixed =
        new EncryptedCredential(a.masterKeyId(), b.wrappedKey(), a.nonce(), a.ciphertext());
    assertThatThrownBy(() -> cipher.decrypt(rowA, mixed))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void anotherMasterKeyCannotDecrypt() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    EnvelopeCipher stranger = new EnvelopeCipher(new MasterKeyring(randomKey(), List.of()));
    assertThatThrownBy(() -> stranger.decrypt(binding, e))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("not configured");
    // even when the wrong key claims the right id, GCM refuses
    EncryptedCredential relabelled =
        new EncryptedCredential(
            stranger.keyring().active().id(), e.wrappedKey(), e.nonce(), e.ciphertext());
    assertThatThrownBy(() -> stranger.decrypt(binding, relabelled))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void rewrapMovesTheDataKeyWithoutTouchingTheCiphertext() throws Exception {
    EncryptedCredential underA = cipher.encrypt(binding, plaintext);
    MasterKey keyB = randomKey();
    EnvelopeCipher rotated = new EnvelopeCipher(new MasterKeyring(keyB, List.of(keyA)));
    EncryptedCredential underB = rotated.rewrap(binding, underA);
    assertThat(underB.masterKeyId()).isEqualTo(keyB.id());
    assertThat(underB.ciphertext()).isEqualTo(underA.ciphertext());
    assertThat(underB.nonce()).isEqualTo(underA.nonce());
    EnvelopeCipher onlyB = new EnvelopeCipher(new MasterKeyring(keyB, List.of()));
    assertThat(onlyB.decrypt(binding, underB)).isEqualTo(plaintext);
    assertThatThrownBy(() -> onlyB.decrypt(binding, underA))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void masterKeyIdsAreStableAndRevealNoKeyMaterial() {
    byte[] material = new byte[32];
    new SecureRandom().nextBytes(material);
    MasterKey one = MasterKey.of(material);
    MasterKey same = MasterKey.fromBase64(java.util.Base64.getEncoder().encodeToString(material));
    assertThat(one.id()).isEqualTo(same.id()).matches("mk_[0-9a-f]{16}");
    assertThat(one.toString()).isEqualTo("MasterKey{" + one.id() + "}");
    assertThatThrownBy(() -> MasterKey.fromBase64("c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("c2hvcnQ");
  }

  @Test
  void fingerprintsAreShortKeyedAndDistinguishValues() {
    String f1 = cipher.fingerprint("value-one");
    assertThat(f1).matches("[0-9a-f]{8}");
    assertThat(cipher.fingerprint("value-one")).isEqualTo(f1);
    assertThat(cipher.fingerprint("value-two")).isNotEqualTo(f1);
    EnvelopeCipher other = new EnvelopeCipher(new MasterKeyring(randomKey(), List.of()));
    assertThat(other.fingerprint("value-one"))
        .as("keyed: not a plain hash anyone can recompute")
        .isNotEqualTo(f1);
  }
}
