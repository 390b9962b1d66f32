package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.Database;
import java.time.Clock;

/** Operator (admin) keys: more than one can exist, each revocable, never the last one. */
public final class AdminKeyService {
  private final Database db;
  private final ApiKeyRepository keys;
  private final AuditTrail audit;

  /** Told after a revocation commits, so the revoked key stops working at once. */
  private final KeyAuthenticator authenticator;

  private final Clock clock;
  private final ChangeLog changes;

  public AdminKeyService(
      Database db,
      ApiKeyRepository keys,
      AuditTrail audit,
      ChangeLog changes,
      KeyAuthenticator authenticator,
      Clock clock) {
    this.db = db;
    this.changes = changes;
    this.keys = keys;
    this.audit = audit;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  public Views.NewKey create(Caller caller) {
    long now = clock.millis();
    String key = ApiKeys.newKey(WireFormat.ADMIN_KEY_PREFIX);
    ApiKeyRecord record = ApiKeyRecord.issued(ApiKeyRecord.ADMIN, null, key, now);
    db.inTransaction(
        c -> {
          keys.insert(c, record);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "admin_key.create", AuditTrail.OK)
                  .reason("key " + record.keyId()));
          return null;
        });
    return new Views.NewKey(record.keyId(), key, Times.format(now));
  }

  public Views.Keys list() {
    return new Views.Keys(
        db.inTransaction(keys::listAdminKeys).stream().map(AppService::keyView).toList());
  }

  /**
   * Revokes an admin key; the last active one cannot be revoked (409), so the service stays
   * manageable.
   */
  public Views.Key revoke(Caller caller, String keyId) {
    try {
      return revokeInStore(caller, keyId);
    } finally {
      // after the commit (or whatever became of it): the revoked key is read from the store again
      authenticator.keysRevoked();
    }
  }

  private Views.Key revokeInStore(Caller caller, String keyId) {
    return AppService.keyView(
        db.inTransaction(
            c -> {
              ApiKeyRecord key =
                  keys.find(c, keyId)
                      .filter(k -> ApiKeyRecord.ADMIN.equals(k.kind()))
                      .orElseThrow(() -> ApiException.notFound("admin key", keyId));
              if (!key.revoked()) {
                if (keys.lockActiveAdminKeys(c) <= 1) {
                  throw new ApiException(
                      ErrorCode.CONFLICT,
                      "admin key "
                          + keyId
                          + " is the last active admin key; create another one before revoking it");
                }
                keys.revoke(c, keyId, clock.millis());
                changes.adminKeyRevoked(c, keyId);
                audit.write(
                    c,
                    AuditTrail.event(caller.actor(), "admin_key.revoke", AuditTrail.OK)
                        .reason("key " + keyId));
              }
              return keys.find(c, keyId).orElseThrow();
            }));
  }
}
