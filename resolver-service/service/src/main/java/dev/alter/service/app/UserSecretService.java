package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.identity.AuthenticatedIdentity;
import dev.alter.identity.IdentityRejected;
import dev.alter.identity.PresentedIdentityVerifier;
import dev.alter.identity.VerifiedIdentity;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import dev.alter.service.store.UserSecretAllowanceRecord;
import dev.alter.service.store.UserSecretAllowanceRepository;
import dev.alter.service.store.UserSecretRecord;
import dev.alter.service.store.UserSecretRepository;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keys an app's users upload themselves, through the app's backend: authenticated as the app (its
 * key or signature, checked before this runs) and as the user (their JWT, verified exactly as for
 * user grants). Storing creates a managed secret with the operator's destinations and injection and
 * a user grant bound to that user; storing again rotates it in place (same secret and grant ids);
 * deleting revokes the grant and deletes the secret. Nothing returns the key; every write and every
 * refusal is audited with the user's subject, never the key or the token.
 */
public final class UserSecretService {
  static final String DEFAULT_NAME = "default";
  private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final int MAX_IDENTITY = 16 * 1024;

  private final Database db;
  private final SecretRepository secrets;
  private final GrantRepository grants;
  private final UserSecretAllowanceRepository allowances;
  private final UserSecretRepository userSecrets;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final PresentedIdentityVerifier verifier;
  private final UploadRateLimiter limits;
  private final int ttlSeconds;
  private final Clock clock;

  public UserSecretService(
      Database db,
      SecretRepository secrets,
      GrantRepository grants,
      UserSecretAllowanceRepository allowances,
      UserSecretRepository userSecrets,
      EnvelopeCipher cipher,
      AuditTrail audit,
      ChangeLog changes,
      PresentedIdentityVerifier verifier,
      UploadRateLimiter limits,
      int ttlSeconds,
      Clock clock) {
    this.db = db;
    this.secrets = secrets;
    this.grants = grants;
    this.allowances = allowances;
    this.userSecrets = userSecrets;
    this.cipher = cipher;
    this.audit = audit;
    this.changes = changes;
    this.verifier = verifier;
    this.limits = limits;
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  /** The user the call is for, once verified, and what the operator allows. */
  private record Uploader(UserSecretAllowanceRecord allowance, VerifiedIdentity user, String name) {
    String subject() {
      return user.describe();
    }
  }

  /**
   * Stores the user's key, or rotates it in place when the user already stores one by this name.
   */
  public Views.UserSecretStored store(
      Caller caller, String providerRef, Requests.UserSecretCall r) {
    Attempt a = new Attempt(caller, providerRef, "user_secret.store");
    try {
      refuseOperatorFields(r);
      limits.admitApp(caller.appId());
      Uploader u = uploader(caller, providerRef, r, a);
      limits.admitUser(caller.appId(), u.subject());
      String credential = wellFormed(r.credential());
      Map<String, String> parts = new LinkedHashMap<>();
      parts.put(WireFormat.PRIMARY_PART, credential);
      String fingerprint = cipher.fingerprint(credential);
      long now = clock.millis();
      Views.UserSecretStored stored =
          db.inTransaction(
              c -> {
                Optional<UserSecretRecord> existing =
                    owned(c, u).stream().filter(s -> s.name().equals(u.name())).findFirst();
                if (existing.isPresent()) {
                  return rotate(c, caller, u, existing.get(), parts, fingerprint, now);
                }
                if (owned(c, u).size() >= u.allowance().maxPerUser()) {
                  throw new ApiException(
                      ErrorCode.USER_SECRET_LIMIT_REACHED,
                      "this user already stores "
                          + u.allowance().maxPerUser()
                          + " key(s) for provider '"
                          + u.allowance().provider()
                          + "'; store under an existing name to replace one, or delete one");
                }
                return create(c, caller, u, parts, fingerprint, now);
              });
      return stored;
    } catch (ApiException e) {
      a.denied(e);
      throw e;
    }
  }

  /** Deletes the user's key: its grant is revoked and its secret deleted. False if none. */
  public boolean delete(Caller caller, String providerRef, Requests.UserSecretCall r) {
    Attempt a = new Attempt(caller, providerRef, "user_secret.delete");
    try {
      refuseOperatorFields(r);
      if (r.credential() != null) {
        throw ApiException.invalid("a deletion carries no credential");
      }
      limits.admitApp(caller.appId());
      Uploader u = uploader(caller, providerRef, r, a);
      limits.admitUser(caller.appId(), u.subject());
      Optional<String> deleted =
          db.inTransaction(
              c -> {
                Optional<UserSecretRecord> existing =
                    owned(c, u).stream().filter(s -> s.name().equals(u.name())).findFirst();
                if (existing.isEmpty()) {
                  return Optional.<String>empty();
                }
                delete(c, existing.get(), caller.actor(), u.subject(), "deleted by its user");
                return Optional.of(existing.get().secretId());
              });
      deleted.ifPresent(cipher::forget);
      return deleted.isPresent();
    } catch (ApiException e) {
      a.denied(e);
      throw e;
    }
  }

  /** Whether the user stores a key by this name: a fingerprint and times, never the key. */
  public Views.UserSecretStatus status(
      Caller caller, String providerRef, Requests.UserSecretCall r) {
    Attempt a = new Attempt(caller, providerRef, "user_secret.status");
    try {
      refuseOperatorFields(r);
      if (r.credential() != null) {
        throw ApiException.invalid("a status request carries no credential");
      }
      Uploader u = uploader(caller, providerRef, r, a);
      return db.inTransaction(
          c -> {
            Optional<UserSecretRecord> existing =
                owned(c, u).stream().filter(s -> s.name().equals(u.name())).findFirst();
            if (existing.isEmpty()) {
              return new Views.UserSecretStatus(
                  u.allowance().provider(), u.name(), false, null, null, null);
            }
            SecretRecord s = secrets.find(c, existing.get().secretId()).orElseThrow();
            return new Views.UserSecretStatus(
                u.allowance().provider(),
                u.name(),
                true,
                s.fingerprint(),
                Times.format(s.updatedAt()),
                existing.get().grantId());
          });
    } catch (ApiException e) {
      a.denied(e);
      throw e;
    }
  }

  private List<UserSecretRecord> owned(Connection c, Uploader u) throws SQLException {
    return userSecrets.listOwned(
        c, u.allowance().appId(), u.allowance().provider(), u.user().idpId(), u.user().userId());
  }

  /**
   * The allowance for this app and provider, and the verified user: the JWT is verified outside any
   * transaction (a JWKS fetch must not hold a connection).
   */
  private Uploader uploader(
      Caller caller, String providerRef, Requests.UserSecretCall r, Attempt a) {
    String provider = providerRef == null ? "" : providerRef;
    if (!PROVIDER.matcher(provider).matches()) {
      throw new ApiException(
          ErrorCode.PROVIDER_NOT_ALLOWED, "the path does not name a provider id");
    }
    a.provider = provider;
    String name = r.name() == null ? DEFAULT_NAME : r.name();
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(
          "name must be 1-64 characters: lower-case letters, digits, '-' and '_'");
    }
    UserSecretAllowanceRecord allowance =
        db.inTransaction(c -> allowances.find(c, caller.appId(), provider))
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.PROVIDER_NOT_ALLOWED,
                        "the operator has not allowed this app's users to upload keys for provider '"
                            + provider
                            + "'"));
    if (r.identity() == null || r.identity().isEmpty()) {
      throw new ApiException(
          ErrorCode.IDENTITY_INVALID, "identity is required: the user's JWT, as for user grants");
    }
    if (r.identity().length() > MAX_IDENTITY) {
      throw ApiException.invalid("identity is longer than " + MAX_IDENTITY + " characters");
    }
    AuthenticatedIdentity identity;
    try {
      identity = verifier.verify(r.identity());
    } catch (IdentityRejected e) {
      a.subject = e.subject().orElse(null);
      a.reason = e.reason().code();
      throw new ApiException(ErrorCode.IDENTITY_INVALID, e.getMessage());
    }
    a.subject = identity.describe();
    if (!(identity instanceof VerifiedIdentity user)) {
      throw new ApiException(
          ErrorCode.IDENTITY_NOT_ACCEPTED,
          "keys are uploaded for end users: send the user's JWT, not an agent token");
    }
    if (!allowance.idpIds().contains(user.idpId())) {
      throw new ApiException(
          ErrorCode.IDENTITY_NOT_ACCEPTED,
          "identity provider "
              + user.idpId()
              + " is not one whose users may upload keys for provider '"
              + provider
              + "' to this app");
    }
    return new Uploader(allowance, user, name);
  }

  /** Where a user's key goes is the operator's: a user (or a backend) can never set it. */
  private static void refuseOperatorFields(Requests.UserSecretCall r) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("destinations", r.destinations());
    fields.put("injection", r.injection());
    fields.put("allow_plain_http", r.allowPlainHttp());
    fields.put("ttl_seconds", r.ttlSeconds());
    fields.put("credential_parts", r.credentialParts());
    fields.put("user_id", r.userId());
    fields.put("idp_id", r.idpId());
    fields.forEach(
        (field, value) -> {
          if (value != null) {
            throw ApiException.invalid(
                field
                    + (field.endsWith("_id")
                        ? " cannot be given: the key is stored for the user whose JWT is sent"
                        : " is fixed by the operator's allowance for this app and provider;"
                            + " a user upload cannot set it"));
          }
        });
  }

  /** The key as the provider issued it: one token without whitespace or control characters. */
  private static String wellFormed(String credential) {
    if (credential == null || credential.isEmpty()) {
      throw new ApiException(ErrorCode.MALFORMED_CREDENTIAL, "credential is required");
    }
    if (credential.getBytes(StandardCharsets.UTF_8).length
        > SecretValidation.MAX_CREDENTIAL_BYTES) {
      throw new ApiException(
          ErrorCode.MALFORMED_CREDENTIAL,
          "credential is longer than " + SecretValidation.MAX_CREDENTIAL_BYTES + " bytes");
    }
    for (int i = 0; i < credential.length(); i++) {
      char ch = credential.charAt(i);
      if (ch <= 0x20 || ch == 0x7f || Character.isWhitespace(ch) || Character.isSpaceChar(ch)) {
        throw new ApiException(
            ErrorCode.MALFORMED_CREDENTIAL,
            "credential contains whitespace or control characters (at position " + i + ")");
      }
    }
    return credential;
  }

  private Views.UserSecretStored create(
      Connection c,
      Caller caller,
      Uploader u,
      Map<String, String> parts,
      String fingerprint,
      long now)
      throws SQLException {
    UserSecretAllowanceRecord allowance = u.allowance();
    String secretId = ApiKeys.newId(WireFormat.SECRET_ID_PREFIX);
    String grantId = ApiKeys.newId(WireFormat.GRANT_ID_PREFIX);
    SecretRecord secret =
        new SecretRecord(
            secretId,
            allowance.appId(),
            allowance.provider(),
            "user upload (" + u.name() + ")",
            allowance.injection(),
            allowance.destinations(),
            false,
            ttlSeconds,
            1,
            fingerprint,
            now,
            now,
            null);
    secrets.insert(c, secret);
    secrets.insertVersion(
        c,
        new CredentialVersionRecord(
            secretId,
            1,
            encrypt(new CredentialBinding(allowance.appId(), secretId, 1), parts),
            fingerprint,
            now));
    Map<String, String> principal = new LinkedHashMap<>();
    principal.put("type", Principals.USER);
    principal.put("user_id", u.user().userId());
    principal.put("idp_id", u.user().idpId());
    grants.insert(
        c,
        new GrantRecord(
            grantId,
            secretId,
            allowance.appId(),
            "user upload (" + u.name() + ")",
            Principals.USER,
            Principals.toJson(principal),
            now,
            null,
            null,
            null));
    changes.grantCreated(c, allowance.appId(), secretId, grantId);
    userSecrets.insert(
        c,
        new UserSecretRecord(
            secretId,
            grantId,
            allowance.appId(),
            allowance.provider(),
            u.user().idpId(),
            u.user().userId(),
            u.name(),
            now));
    audit.write(
        c,
        AuditTrail.event(caller.actor(), "user_secret.store", AuditTrail.OK)
            .app(allowance.appId())
            .secret(secretId)
            .grant(grantId)
            .principal(u.subject())
            .fingerprint(fingerprint)
            .reason("provider " + allowance.provider() + ", name " + u.name() + ", version 1"));
    return new Views.UserSecretStored(
        allowance.provider(), u.name(), true, secretId, grantId, 1, fingerprint, Times.format(now));
  }

  private Views.UserSecretStored rotate(
      Connection c,
      Caller caller,
      Uploader u,
      UserSecretRecord existing,
      Map<String, String> parts,
      String fingerprint,
      long now)
      throws SQLException {
    String secretId = existing.secretId();
    long version =
        secrets
            .claimNextVersion(c, secretId, now)
            .orElseThrow(() -> new IllegalStateException("user secret " + secretId + " is gone"));
    secrets.insertVersion(
        c,
        new CredentialVersionRecord(
            secretId,
            version,
            encrypt(new CredentialBinding(existing.appId(), secretId, version), parts),
            fingerprint,
            now));
    secrets.setFingerprint(c, secretId, fingerprint);
    changes.secretRotated(c, existing.appId(), secretId, version);
    audit.write(
        c,
        AuditTrail.event(caller.actor(), "user_secret.rotate", AuditTrail.OK)
            .app(existing.appId())
            .secret(secretId)
            .grant(existing.grantId())
            .principal(u.subject())
            .fingerprint(fingerprint)
            .reason(
                "provider " + existing.provider() + ", name " + u.name() + ", version " + version));
    return new Views.UserSecretStored(
        existing.provider(),
        u.name(),
        false,
        secretId,
        existing.grantId(),
        version,
        fingerprint,
        Times.format(now));
  }

  /**
   * Revokes the key's grant, deletes its secret (destroying its versions) and its row; audited. The
   * caller drops the secret's data keys ({@link EnvelopeCipher#forget}) after the commit.
   */
  void delete(Connection c, UserSecretRecord u, String actor, String subject, String reason)
      throws SQLException {
    long now = clock.millis();
    grants.revoke(c, u.grantId(), now);
    secrets.markDeleted(c, u.secretId(), now);
    changes.grantRevoked(c, u.appId(), u.secretId(), u.grantId());
    changes.secretDeleted(c, u.appId(), u.secretId());
    userSecrets.delete(c, u.secretId());
    audit.write(
        c,
        AuditTrail.event(actor, "user_secret.delete", AuditTrail.OK)
            .app(u.appId())
            .secret(u.secretId())
            .grant(u.grantId())
            .principal(subject)
            .reason("provider " + u.provider() + ", name " + u.name() + ": " + reason));
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

  /** One call's audit context: a refusal is recorded with whatever was known when it failed. */
  private final class Attempt {
    private final Caller caller;
    private final String action;
    String provider;
    String subject;
    String reason;

    Attempt(Caller caller, String providerRef, String action) {
      this.caller = caller;
      this.action = action;
    }

    void denied(ApiException e) {
      StringBuilder why = new StringBuilder(e.code().code());
      if (reason != null) {
        why.append(": ").append(reason);
      }
      if (provider != null) {
        why.append(" (provider ").append(provider).append(')');
      }
      audit.writeCommitted(
          AuditTrail.event(caller.actor(), action, AuditTrail.DENIED)
              .app(caller.appId())
              .principal(subject)
              .reason(why.toString()));
    }
  }
}
