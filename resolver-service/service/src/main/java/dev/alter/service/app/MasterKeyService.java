package dev.alter.service.app;

import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
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
import java.util.Set;

/**
 * Master key status and rewrap: moves every data key wrapped by a retired master key to the
 * active one, batch by batch, without ever decrypting a credential.
 */
public final class MasterKeyService {
  private static final int BATCH = 100;

  private final Database db;
  private final SecretRepository secrets;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;

  public MasterKeyService(Database db, SecretRepository secrets, EnvelopeCipher cipher, AuditTrail audit) {
    this.db = db;
    this.secrets = secrets;
    this.cipher = cipher;
    this.audit = audit;
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
        int done = db.inTransaction(c -> {
          int n = 0;
          for (CredentialVersionRecord v : secrets.versionsWrappedBy(c, keyId, BATCH)) {
            SecretRecord s = secrets.find(c, v.secretId()).orElseThrow();
            EncryptedCredential rewrapped;
            try {
              rewrapped = cipher.rewrap(new CredentialBinding(s.appId(), s.secretId(), v.version()), v.encrypted());
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("version " + v.version() + " of secret " + s.secretId()
                  + " cannot be unwrapped with " + keyId + "; nothing in this batch was changed");
            }
            if (secrets.replaceWrappedKey(c, v.secretId(), v.version(), keyId, rewrapped.masterKeyId(), rewrapped.wrappedKey())) {
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
      if (moved > 0) {
        from.add(keyId + " (" + moved + ")");
      }
      total += moved;
    }
    long rewrapped = total;
    db.inTransaction(c -> {
      audit.write(c, AuditTrail.event(caller.actor(), "master_key.rewrap", AuditTrail.OK)
          .reason("rewrapped " + rewrapped + " data keys to " + active + (from.isEmpty() ? "" : " from " + String.join(", ", from))));
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
}
