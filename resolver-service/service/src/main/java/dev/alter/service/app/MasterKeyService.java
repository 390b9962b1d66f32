package dev.alter.service.app;

import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.crypto.MasterKeyMissingException;
import dev.alter.service.crypto.MasterKeyring;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Master key status and rewrap: moves every data key wrapped by a retired master key to the active
 * one, batch by batch, without ever decrypting a credential.
 */
public final class MasterKeyService {
  private static final int BATCH = 100;

  private final Database db;
  private final SecretRepository secrets;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;

  public MasterKeyService(
      Database db, SecretRepository secrets, EnvelopeCipher cipher, AuditTrail audit) {
    this.db = db;
    this.secrets = secrets;
    this.cipher = cipher;
    this.audit = audit;
  }

  /**
   * Refuses to go on when a stored credential version is wrapped by a master key that is neither
   * the active key nor in the keyring: started like that, every resolve of it would fail.
   *
   * @throws MasterKeyMissingException naming the stored and the configured key ids
   */
  public void requireEveryStoredKey() {
    missingKeyProblem()
        .ifPresent(
            problem -> {
              throw new MasterKeyMissingException(problem);
            });
  }

  /**
   * Why the service cannot open every stored credential, or empty when it can. Checked again by
   * {@code /readyz}: another process on the same store may write versions under a key this one
   * lacks.
   */
  public Optional<String> missingKeyProblem() {
    MasterKeyring ring = cipher.keyring();
    Set<String> missing = new TreeSet<>(db.inTransaction(secrets::versionsPerMasterKey).keySet());
    missing.removeAll(ring.keyIds());
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    Set<String> retired = new TreeSet<>(ring.keyIds());
    retired.remove(ring.active().id());
    return Optional.of(
        "the store holds credential versions wrapped by master key "
            + String.join(", ", missing)
            + ", which is neither the active key ("
            + ring.active().id()
            + ") nor in the keyring ("
            + (retired.isEmpty() ? "empty" : String.join(", ", retired))
            + "): configure that key as "
            + "ALTER_MASTER_KEY_FILE or put it in the keyring directory");
  }

  public Views.MasterKeys status() {
    return new Views.MasterKeys(cipher.keyring().active().id(), usage());
  }

  public Views.Rewrap rewrap(Caller caller) {
    MasterKeyring ring = cipher.keyring();
    String active = ring.active().id();
    long total = 0;
    List<String> from = new ArrayList<>();
    for (String keyId : ring.keyIds()) {
      if (keyId.equals(active)) {
        continue;
      }
      long moved = 0;
      while (true) {
        int done =
            db.inTransaction(
                c -> {
                  int n = 0;
                  for (CredentialVersionRecord v : secrets.versionsWrappedBy(c, keyId, BATCH)) {
                    SecretRecord s = secrets.find(c, v.secretId()).orElseThrow();
                    EncryptedCredential rewrapped;
                    try {
                      rewrapped =
                          cipher.rewrap(
                              new CredentialBinding(s.appId(), s.secretId(), v.version()),
                              v.encrypted());
                    } catch (GeneralSecurityException e) {
                      throw new IllegalStateException(
                          "version "
                              + v.version()
                              + " of secret "
                              + s.secretId()
                              + " cannot be unwrapped with "
                              + keyId
                              + "; nothing in this batch was changed");
                    }
                    if (secrets.replaceWrappedKey(
                        c,
                        v.secretId(),
                        v.version(),
                        keyId,
                        rewrapped.masterKeyId(),
                        rewrapped.wrappedKey())) {
                      n++;
                    }
                  }
                  return n;
                });
        moved += done;
        if (done == 0) {
          break;
        }
      }
      moved += rewrapSigningSecrets(keyId);
      if (moved > 0) {
        from.add(keyId + " (" + moved + ")");
      }
      total += moved;
    }
    long rewrapped = total;
    db.inTransaction(
        c -> {
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "master_key.rewrap", AuditTrail.OK)
                  .reason(
                      "rewrapped "
                          + rewrapped
                          + " data keys to "
                          + active
                          + (from.isEmpty() ? "" : " from " + String.join(", ", from))));
          return null;
        });
    return new Views.Rewrap(active, rewrapped, usage());
  }

  /** Configured keys and keys still referenced by stored versions; a key at 0 is retirable. */
  private List<Views.MasterKeyUse> usage() {
    Map<String, Long> counts = db.inTransaction(secrets::versionsPerMasterKey);
    MasterKeyring ring = cipher.keyring();
    Set<String> ids = new LinkedHashSet<>(ring.keyIds());
    ids.addAll(counts.keySet());
    List<Views.MasterKeyUse> out = new ArrayList<>();
    for (String id : ids) {
      out.add(new Views.MasterKeyUse(id, counts.getOrDefault(id, 0L), ring.find(id) != null));
    }
    return out;
  }

  /** Moves the webhook signing secrets wrapped by {@code keyId} to the active master key. */
  private int rewrapSigningSecrets(String keyId) {
    dev.alter.service.store.WebhookRepository receivers =
        new dev.alter.service.store.WebhookRepository();
    return db.inTransaction(
        c -> {
          int n = 0;
          for (dev.alter.service.store.WebhookReceiverRecord r : receivers.wrappedBy(c, keyId)) {
            EncryptedCredential rewrapped;
            try {
              rewrapped = cipher.rewrap(WebhookService.binding(r.receiverId()), r.signingSecret());
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException(
                  "the signing secret of webhook receiver "
                      + r.receiverId()
                      + " cannot be unwrapped with "
                      + keyId
                      + "; nothing in this batch was changed");
            }
            if (receivers.replaceWrappedKey(
                c, r.receiverId(), keyId, rewrapped.masterKeyId(), rewrapped.wrappedKey())) {
              n++;
            }
          }
          return n;
        });
  }
}
