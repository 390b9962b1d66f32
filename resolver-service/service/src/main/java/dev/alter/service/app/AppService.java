package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.ApiKeyRecord;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.AppRecord;
import dev.alter.service.store.AppRepository;
import dev.alter.service.store.ConstraintViolationException;
import dev.alter.service.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.regex.Pattern;

/** Apps and their API keys. */
public final class AppService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Database db;
  private final AppRepository apps;
  private final ApiKeyRepository keys;
  private final AuditTrail audit;
  private final ChangeLog changes;

  /** Told after a revocation commits, so the revoked key stops working at once. */
  private final KeyAuthenticator authenticator;

  private final Clock clock;

  public AppService(
      Database db,
      AppRepository apps,
      ApiKeyRepository keys,
      AuditTrail audit,
      ChangeLog changes,
      KeyAuthenticator authenticator,
      Clock clock) {
    this.db = db;
    this.changes = changes;
    this.apps = apps;
    this.keys = keys;
    this.audit = audit;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  public Views.CreatedApp create(Caller caller, Requests.CreateApp request) {
    String name = request.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.invalid("name must be 1-64 characters of A-Z a-z 0-9 . _ -");
    }
    long now = clock.millis();
    AppRecord app = new AppRecord(ApiKeys.newId(WireFormat.APP_ID_PREFIX), name, now);
    String key = ApiKeys.newKey(WireFormat.APP_KEY_PREFIX);
    ApiKeyRecord keyRecord = newAppKey(app.appId(), key, now);
    try {
      db.inTransaction(
          c -> {
            if (apps.nameTaken(c, name)) {
              throw new ApiException(
                  ErrorCode.CONFLICT, "an app named '" + name + "' already exists");
            }
            apps.insert(c, app);
            keys.insert(c, keyRecord);
            audit.write(
                c, AuditTrail.event(caller.actor(), "app.create", AuditTrail.OK).app(app.appId()));
            audit.write(
                c,
                AuditTrail.event(caller.actor(), "app_key.create", AuditTrail.OK)
                    .app(app.appId())
                    .reason("key " + keyRecord.keyId()));
            return null;
          });
    } catch (ConstraintViolationException raced) {
      throw new ApiException(ErrorCode.CONFLICT, "an app named '" + name + "' already exists");
    }
    return new Views.CreatedApp(
        app.appId(),
        name,
        Times.format(now),
        new Views.NewKey(keyRecord.keyId(), key, Times.format(now)));
  }

  public Views.Apps list() {
    return new Views.Apps(
        db.inTransaction(c -> apps.list(c)).stream().map(AppService::view).toList());
  }

  public Views.App get(String appId) {
    return view(db.inTransaction(c -> requireApp(c, appId)));
  }

  public Views.NewKey createKey(Caller caller, String appId) {
    long now = clock.millis();
    String key = ApiKeys.newKey(WireFormat.APP_KEY_PREFIX);
    ApiKeyRecord record = newAppKey(appId, key, now);
    db.inTransaction(
        c -> {
          requireApp(c, appId);
          keys.insert(c, record);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "app_key.create", AuditTrail.OK)
                  .app(appId)
                  .reason("key " + record.keyId()));
          return null;
        });
    return new Views.NewKey(record.keyId(), key, Times.format(now));
  }

  public Views.Keys listKeys(String appId) {
    return new Views.Keys(
        db
            .inTransaction(
                c -> {
                  requireApp(c, appId);
                  return keys.listForApp(c, appId);
                })
            .stream()
            .map(AppService::keyView)
            .toList());
  }

  /** Revokes the key; revoking an already revoked key answers its metadata unchanged. */
  public Views.Key revokeKey(Caller caller, String appId, String keyId) {
    try {
      return revokeKeyInStore(caller, appId, keyId);
    } finally {
      // after the commit (or whatever became of it): the revoked key is read from the store again
      authenticator.keysRevoked();
    }
  }

  private Views.Key revokeKeyInStore(Caller caller, String appId, String keyId) {
    return keyView(
        db.inTransaction(
            c -> {
              requireApp(c, appId);
              ApiKeyRecord key =
                  keys.find(c, keyId)
                      .filter(k -> appId.equals(k.appId()))
                      .orElseThrow(() -> ApiException.notFound("key", keyId));
              if (keys.revoke(c, keyId, clock.millis())) {
                changes.appKeyRevoked(c, appId, keyId);
                audit.write(
                    c,
                    AuditTrail.event(caller.actor(), "app_key.revoke", AuditTrail.OK)
                        .app(appId)
                        .reason("key " + keyId));
              }
              return keys.find(c, keyId).orElse(key);
            }));
  }

  private AppRecord requireApp(Connection c, String appId) throws SQLException {
    return apps.find(c, appId).orElseThrow(() -> ApiException.notFound("app", appId));
  }

  private static ApiKeyRecord newAppKey(String appId, String key, long now) {
    return ApiKeyRecord.issued(ApiKeyRecord.APP, appId, key, now);
  }

  static Views.App view(AppRecord a) {
    return new Views.App(a.appId(), a.name(), Times.format(a.createdAt()));
  }

  static Views.Key keyView(ApiKeyRecord k) {
    return new Views.Key(
        k.keyId(),
        Times.format(k.createdAt()),
        Times.format(k.revokedAt()),
        Times.format(k.lastUsedAt()));
  }
}
