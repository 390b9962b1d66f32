package dev.alter.service.app;

import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.OwnerOnlyFiles;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an operator can get in. With an admin key file that exists, its key is accepted
 * (registered by hash). With an admin key file that does not exist, a new key is written there
 * (0600). With no file and no admin key in the store yet, a new key is generated and returned for
 * printing once.
 */
public final class AdminKeyBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminKeyBootstrap.class);

  private final Database db;
  private final ApiKeyRepository keys;
  private final Clock clock;

  public AdminKeyBootstrap(Database db, ApiKeyRepository keys, Clock clock) {
    this.db = db;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * @return a newly generated key to show once, or empty when none was generated or it went to the
   *     file
   */
  public Optional<String> ensureAdminKey(Path adminKeyFile) throws IOException {
    if (adminKeyFile != null && Files.exists(adminKeyFile)) {
      String key = Files.readString(adminKeyFile, StandardCharsets.US_ASCII).trim();
      if (!key.startsWith(WireFormat.ADMIN_KEY_PREFIX)
          || key.length() < WireFormat.ADMIN_KEY_PREFIX.length() + 32) {
        throw new IllegalArgumentException(
            "admin key file "
                + adminKeyFile
                + " does not hold an alter_key_admin_… key of at least 32 characters after the prefix");
      }
      register(key);
      LOG.info("Accepting the admin key from {}", adminKeyFile);
      return Optional.empty();
    }
    if (adminKeyFile != null) {
      String key = ApiKeys.newKey(WireFormat.ADMIN_KEY_PREFIX);
      OwnerOnlyFiles.write(adminKeyFile, key + "\n");
      register(key);
      LOG.info("Generated an admin key and wrote it to {} (mode 0600)", adminKeyFile);
      return Optional.of(key);
    }
    if (db.inTransaction(keys::anyActiveAdminKey)) {
      return Optional.empty();
    }
    String key = ApiKeys.newKey(WireFormat.ADMIN_KEY_PREFIX);
    register(key);
    return Optional.of(key);
  }

  private void register(String key) {
    ApiKeyRecord record = ApiKeyRecord.issued(ApiKeyRecord.ADMIN, null, key, clock.millis());
    db.inTransaction(
        c -> {
          if (keys.findByProofKeyId(c, record.proofKeyId()).isEmpty()) {
            keys.insert(c, record);
          }
          return null;
        });
  }
}
