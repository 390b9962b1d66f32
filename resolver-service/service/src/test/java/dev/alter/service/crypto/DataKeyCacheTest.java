package dev.alter.service.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Cached unwrapped data keys: a speed-up that never weakens what the envelope authenticates. */
class DataKeyCacheTest {
  private static MasterKey randomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return MasterKey.of(k);
  }

  private final MasterKey keyA = randomKey();
  private final EnvelopeCipher cipher = new EnvelopeCipher(new MasterKeyring(keyA, List.of()));
  private final CredentialBinding binding = new CredentialBinding("app_1", "ms_1", 1);
  private final byte[] plaintext = "the-credential".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSecondDecryptOfTheSameVersionUsesTheCachedKeyAndGivesTheSamePlaintext() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    assertThat(cipher.cachedDataKeys()).isZero();
    assertThat(cipher.decrypt(binding, e)).isEqualTo(plaintext);
    assertThat(cipher.cachedDataKeys()).isEqualTo(1);
    assertThat(cipher.decrypt(binding, e)).isEqualTo(plaintext);
    assertThat(cipher.cachedDataKeys()).isEqualTo(1);
  }

  @Test
  void aTamperedOrMovedRowStillFailsWhileItsKeyIsCached() throws Exception {
    EncryptedCredential e = cipher.encrypt(binding, plaintext);
    cipher.decrypt(binding, e);
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
    for (CredentialBinding other :
        List.of(
            new CredentialBinding("app_2", "ms_1", 1),
            new CredentialBinding("app_1", "ms_2", 1),
            new CredentialBinding("app_1", "ms_1", 2))) {
      assertThatThrownBy(() -> cipher.decrypt(other, e))
          .isInstanceOf(GeneralSecurityException.class);
    }
    assertThat(cipher.decrypt(binding, e)).isEqualTo(plaintext);
  }

  @Test
  void rotatingRewrappingOrForgettingASecretDropsItsCachedKeys() throws Exception {
    EncryptedCredential v1 = cipher.encrypt(binding, plaintext);
    cipher.decrypt(binding, v1);
    CredentialBinding other = new CredentialBinding("app_1", "ms_other", 1);
    EncryptedCredential otherV1 = cipher.encrypt(other, plaintext);
    cipher.decrypt(other, otherV1);
    assertThat(cipher.cachedDataKeys()).isEqualTo(2);

    cipher.encrypt(new CredentialBinding("app_1", "ms_1", 2), plaintext); // rotation of ms_1
    assertThat(cipher.cachedDataKeys()).as("only ms_other's key stays").isEqualTo(1);

    cipher.decrypt(binding, v1);
    cipher.rewrap(binding, v1);
    assertThat(cipher.cachedDataKeys()).isEqualTo(1);

    cipher.forget("ms_other");
    assertThat(cipher.cachedDataKeys()).isZero();
    assertThat(cipher.decrypt(other, otherV1))
        .as("a forgotten key is unwrapped again")
        .isEqualTo(plaintext);
  }

  @Test
  void theCacheIsBoundedInSizeAndAgeAndZeroesWhatLeaves() {
    AtomicLong now = new AtomicLong();
    DataKeyCache cache = new DataKeyCache(2, 1_000, now::get);
    byte[][] keys = {{1, 1}, {2, 2}, {3, 3}};
    for (int v = 0; v < 3; v++) {
      cache.put(new CredentialBinding("a", "s", v), "mk", new byte[] {(byte) v}, keys[v]);
    }
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(new CredentialBinding("a", "s", 0), "mk", new byte[] {0}))
        .as("least recent went")
        .isNull();
    byte[] copy = cache.get(new CredentialBinding("a", "s", 2), "mk", new byte[] {2});
    assertThat(copy).containsExactly(3, 3);
    copy[0] = 0;
    assertThat(cache.get(new CredentialBinding("a", "s", 2), "mk", new byte[] {2}))
        .as("callers get copies")
        .containsExactly(3, 3);
    assertThat(cache.get(new CredentialBinding("a", "s", 2), "mk", new byte[] {9}))
        .as("other wrapped bytes")
        .isNull();
    assertThat(cache.get(new CredentialBinding("a", "s", 2), "mk2", new byte[] {2}))
        .as("other master key")
        .isNull();

    now.addAndGet(1_000);
    assertThat(cache.get(new CredentialBinding("a", "s", 2), "mk", new byte[] {2}))
        .as("expired")
        .isNull();
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.toString()).isEqualTo("DataKeyCache{1 keys}");
  }
}
