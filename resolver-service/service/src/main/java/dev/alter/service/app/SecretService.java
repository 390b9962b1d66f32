package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.WireFormat;
import dev.alter.service.catalog.Provider;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.AppRepository;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Managed secrets: store, read metadata, rotate in place, update settings, delete. */
public final class SecretService {
  private final Database db;
  private final AppRepository apps;
  private final SecretRepository secrets;
  private final ProviderCatalog catalog;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final int defaultTtlSeconds;
  private final Clock clock;

  public SecretService(
      Database db,
      AppRepository apps,
      SecretRepository secrets,
      ProviderCatalog catalog,
      EnvelopeCipher cipher,
      AuditTrail audit,
      ChangeLog changes,
      int defaultTtlSeconds,
      Clock clock) {
    this.db = db;
    this.changes = changes;
    this.apps = apps;
    this.secrets = secrets;
    this.catalog = catalog;
    this.cipher = cipher;
    this.audit = audit;
    this.defaultTtlSeconds = defaultTtlSeconds;
    this.clock = clock;
  }

  public Views.Secret create(Caller caller, Requests.CreateSecret r) {
    if (r.appId() == null || r.appId().isEmpty()) {
      throw ApiException.invalid("app_id is required");
    }
    if (r.provider() == null) {
      throw ApiException.invalid("provider is required");
    }
    Provider provider =
        catalog
            .find(r.provider())
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "provider is not a provider id this service knows; see GET /v1/providers"));
    String label = SecretValidation.label("label", r.label());
    InjectionSpec injection = SecretValidation.injection(provider, r.injection());
    Map<String, String> parts =
        SecretValidation.credentialParts(
            provider, injection, r.credential(), r.credentialParts(), clock.instant());
    boolean plainHttp = Boolean.TRUE.equals(r.allowPlainHttp());
    SecretValidation.minting(provider, injection, parts, plainHttp);
    List<String> given = r.destinations();
    if (given == null) {
      if (provider.operatorDefined()) {
        throw ApiException.invalid("destinations are required for provider 'custom'");
      }
      given = provider.destinations();
    }
    List<String> destinations = SecretValidation.destinations(given, plainHttp, provider);
    int ttl = SecretValidation.ttl(r.ttlSeconds(), defaultTtlSeconds);

    long now = clock.millis();
    String secretId = ApiKeys.newId(WireFormat.SECRET_ID_PREFIX);
    String fingerprint = cipher.fingerprint(r.credential());
    EncryptedCredential encrypted = encrypt(new CredentialBinding(r.appId(), secretId, 1), parts);
    SecretRecord record =
        new SecretRecord(
            secretId,
            r.appId(),
            provider.id(),
            label,
            injection,
            destinations,
            plainHttp,
            ttl,
            1,
            fingerprint,
            now,
            now,
            null);
    db.inTransaction(
        c -> {
          if (apps.find(c, r.appId()).isEmpty()) {
            throw ApiException.notFound("app", r.appId());
          }
          secrets.insert(c, record);
          secrets.insertVersion(
              c, new CredentialVersionRecord(secretId, 1, encrypted, fingerprint, now));
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "secret.create", AuditTrail.OK)
                  .app(r.appId())
                  .secret(secretId)
                  .fingerprint(fingerprint)
                  .reason("version 1"));
          return null;
        });
    return view(record);
  }

  public Views.Secrets list(String appIdOrNull) {
    return new Views.Secrets(
        db
            .inTransaction(
                c -> {
                  if (appIdOrNull != null && apps.find(c, appIdOrNull).isEmpty()) {
                    throw ApiException.notFound("app", appIdOrNull);
                  }
                  return secrets.listLive(c, appIdOrNull);
                })
            .stream()
            .map(SecretService::view)
            .toList());
  }

  public Views.Secret get(String secretId) {
    return view(
        db.inTransaction(c -> secrets.find(c, secretId))
            .filter(s -> !s.deleted())
            .orElseThrow(() -> ApiException.notFound("secret", secretId)));
  }

  /**
   * Stores a new credential version in one transaction; the version number is claimed under the
   * secret's row lock, so concurrent rotations get consecutive versions and none is lost.
   */
  public Views.Secret rotate(Caller caller, String secretId, Requests.RotateCredential r) {
    SecretRecord current =
        db.inTransaction(c -> secrets.find(c, secretId))
            .filter(s -> !s.deleted())
            .orElseThrow(() -> ApiException.notFound("secret", secretId));
    Provider provider =
        catalog
            .find(current.provider())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "secret " + secretId + " has a provider missing from the catalog"));
    Map<String, String> parts =
        SecretValidation.credentialParts(
            provider, current.injection(), r.credential(), r.credentialParts(), clock.instant());
    SecretValidation.minting(provider, current.injection(), parts, current.allowPlainHttp());
    String fingerprint = cipher.fingerprint(r.credential());
    long now = clock.millis();
    SecretRecord updated =
        db.inTransaction(
            c -> {
              long version =
                  secrets
                      .claimNextVersion(c, secretId, now)
                      .orElseThrow(() -> ApiException.notFound("secret", secretId));
              EncryptedCredential encrypted =
                  encrypt(new CredentialBinding(current.appId(), secretId, version), parts);
              secrets.insertVersion(
                  c, new CredentialVersionRecord(secretId, version, encrypted, fingerprint, now));
              secrets.setFingerprint(c, secretId, fingerprint);
              changes.secretRotated(c, current.appId(), secretId, version);
              audit.write(
                  c,
                  AuditTrail.event(caller.actor(), "secret.rotate", AuditTrail.OK)
                      .app(current.appId())
                      .secret(secretId)
                      .fingerprint(fingerprint)
                      .reason("version " + version));
              return secrets.find(c, secretId).orElseThrow();
            });
    return view(updated);
  }

  /**
   * Changes settings in place; grants keep working. A new injection is checked against the part
   * names of the stored credential (decrypted under the secret's row lock, so a concurrent rotation
   * cannot slip between check and write). Agents apply changes at their next resolve.
   */
  public Views.Secret update(Caller caller, String secretId, Requests.UpdateSecret r) {
    if (r.label() == null
        && r.destinations() == null
        && r.allowPlainHttp() == null
        && r.ttlSeconds() == null
        && r.injection() == null) {
      throw ApiException.invalid(
          "give at least one of label, destinations, allow_plain_http, ttl_seconds, injection");
    }
    return view(
        db.inTransaction(
            c -> {
              SecretRecord s =
                  secrets
                      .findLiveForUpdate(c, secretId)
                      .orElseThrow(() -> ApiException.notFound("secret", secretId));
              String label =
                  r.label() == null ? s.label() : SecretValidation.label("label", r.label());
              boolean plainHttp =
                  r.allowPlainHttp() == null ? s.allowPlainHttp() : r.allowPlainHttp();
              Provider provider =
                  catalog
                      .find(s.provider())
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "secret "
                                      + secretId
                                      + " has a provider missing from the catalog"));
              List<String> destinations =
                  SecretValidation.destinations(
                      r.destinations() == null ? s.destinations() : r.destinations(),
                      plainHttp,
                      provider);
              int ttl = SecretValidation.ttl(r.ttlSeconds(), s.ttlSeconds());
              InjectionSpec injection = s.injection();
              if (r.injection() != null) {
                injection = SecretValidation.injection(provider, r.injection());
                SecretValidation.fitsStoredParts(provider, injection, storedPartNames(c, s));
              }
              long now = clock.millis();
              secrets.updateSettings(
                  c, secretId, label, destinations, plainHttp, ttl, injection, now);
              changes.secretUpdated(c, s.appId(), secretId);
              audit.write(
                  c,
                  AuditTrail.event(caller.actor(), "secret.update", AuditTrail.OK)
                      .app(s.appId())
                      .secret(secretId)
                      .reason("changed: " + changed(r)));
              return secrets.find(c, secretId).orElseThrow();
            }));
  }

  /** The part names of the current credential version; the values are wiped before returning. */
  private java.util.Set<String> storedPartNames(java.sql.Connection c, SecretRecord s)
      throws java.sql.SQLException {
    CredentialVersionRecord version =
        secrets
            .findVersion(c, s.secretId(), s.currentVersion())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "secret " + s.secretId() + " lacks its current version"));
    byte[] plaintext;
    try {
      plaintext =
          cipher.decrypt(
              new CredentialBinding(s.appId(), s.secretId(), version.version()),
              version.encrypted());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the current version of secret " + s.secretId() + " cannot be decrypted", e);
    }
    try {
      return new java.util.HashSet<>(CredentialPayload.decode(plaintext).parts().keySet());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** Deletes the secret and destroys its stored versions; its grants then answer grant_revoked. */
  public void delete(Caller caller, String secretId) {
    db.inTransaction(
        c -> {
          SecretRecord s =
              secrets
                  .findLiveForUpdate(c, secretId)
                  .orElseThrow(() -> ApiException.notFound("secret", secretId));
          secrets.markDeleted(c, secretId, clock.millis());
          changes.secretDeleted(c, s.appId(), secretId);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "secret.delete", AuditTrail.OK)
                  .app(s.appId())
                  .secret(secretId));
          return null;
        });
    // its data keys must not outlive it in memory, even though no row can reach them any more
    cipher.forget(secretId);
  }

  private static String changed(Requests.UpdateSecret r) {
    StringBuilder sb = new StringBuilder();
    if (r.label() != null) sb.append("label ");
    if (r.destinations() != null) sb.append("destinations ");
    if (r.allowPlainHttp() != null) sb.append("allow_plain_http ");
    if (r.ttlSeconds() != null) sb.append("ttl_seconds ");
    if (r.injection() != null) sb.append("injection ");
    return sb.toString().trim();
  }

  private EncryptedCredential encrypt(CredentialBinding binding, Map<String, String> parts) {
    byte[] plaintext = CredentialPayload.of(parts).encode();
    try {
      return cipher.encrypt(binding, plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed", e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  static Views.Secret view(SecretRecord s) {
    return new Views.Secret(
        s.secretId(),
        s.appId(),
        s.provider(),
        s.label(),
        s.injection(),
        s.destinations(),
        s.allowPlainHttp(),
        s.ttlSeconds(),
        s.currentVersion(),
        s.fingerprint(),
        Times.format(s.createdAt()),
        Times.format(s.updatedAt()),
        null);
  }
}
