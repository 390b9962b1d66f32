package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.WireFormat;
import dev.alter.service.catalog.Minting;
import dev.alter.service.catalog.Provider;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.mint.GitHubAppTokenEndpoint;
import dev.alter.service.mint.MintFailure;
import dev.alter.service.mint.MintedToken;
import dev.alter.service.mint.MintedTokenCache;
import dev.alter.service.mint.MintingSettings;
import dev.alter.service.mint.OAuthTokenEndpoint;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.ReauthorizationRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The access token a resolve of a minted secret hands out (SECURITY.md invariant 4: the client
 * secret, private key or refresh token it is minted from never leaves the service). Tokens are
 * reused from memory until shortly before they expire; a rotating refresh token is minted under the
 * secret's row lock and stored back as the next version in the same transaction, so resolves on
 * several replicas continue one chain instead of racing on a used token.
 */
final class MintedCredentials {
  private static final String ACTOR = "service";

  private final Database db;
  private final SecretRepository secrets;
  private final ReauthorizationRepository reauthorizations = new ReauthorizationRepository();
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final OAuthTokenEndpoint oauth;
  private final GitHubAppTokenEndpoint github;
  private final MintedTokenCache cache = new MintedTokenCache();
  private final Clock clock;

  MintedCredentials(
      Database db,
      SecretRepository secrets,
      EnvelopeCipher cipher,
      AuditTrail audit,
      Duration endpointTimeout,
      Duration defaultTokenLifetime,
      Clock clock) {
    this.db = db;
    this.secrets = secrets;
    this.cipher = cipher;
    this.audit = audit;
    this.oauth = new OAuthTokenEndpoint(endpointTimeout, defaultTokenLifetime, clock);
    this.github = new GitHubAppTokenEndpoint(endpointTimeout, clock);
    this.clock = clock;
  }

  /**
   * @param decrypt opens a stored version (the caller's, which zeroes the plaintext afterwards)
   */
  MintedToken token(ResolvedGrant r, Provider provider, Decryptor decrypt, Instant now) {
    Minting minting = provider.minting();
    String secretId = r.secret().secretId();
    boolean refresh = Minting.REFRESH_TOKEN.equals(minting.kind());
    if (refresh) {
      refuseIfRejected(r);
    }
    try {
      return cache.get(
          secretId,
          r.version().version(),
          now,
          () ->
              refresh
                  ? mintRotating(r, minting, decrypt)
                  : new MintedTokenCache.Minted(
                      decrypt.open(r.secret(), r.version(), stored -> mint(r, minting, stored)),
                      r.version().version()));
    } catch (MintFailure failure) {
      if (failure.code() == ErrorCode.REAUTHORIZATION_REQUIRED) {
        recordRejected(r);
      }
      throw new ApiException(failure.code(), failure.getMessage(), r.grantId());
    }
  }

  private MintedToken mint(ResolvedGrant r, Minting minting, CredentialPayload stored) {
    MintingSettings settings = settings(r, minting, stored);
    return Minting.GITHUB_APP.equals(minting.kind())
        ? github.request(settings, stored.primary(), r.grantId())
        : oauth.request(settings, stored.primary(), r.grantId()).token();
  }

  /**
   * Refreshes under the secret's row lock from the newest version (another replica may have rotated
   * it since this resolve read it) and stores a rotated refresh token as the next version before
   * the lock is released.
   */
  private MintedTokenCache.Minted mintRotating(
      ResolvedGrant r, Minting minting, Decryptor decrypt) {
    String secretId = r.secret().secretId();
    return db.inTransaction(
        c -> {
          SecretRecord secret =
              secrets
                  .findLiveForUpdate(c, secretId)
                  .orElseThrow(
                      () ->
                          new ApiException(
                              ErrorCode.GRANT_REVOKED,
                              "the secret of grant " + r.grantId() + " was deleted",
                              r.grantId()));
          CredentialVersionRecord current =
              secrets.findVersion(c, secretId, secret.currentVersion()).orElseThrow();
          if (reauthorizations.rejectedVersion(c, secretId).orElse(0) >= current.version()) {
            throw new MintFailure(
                ErrorCode.REAUTHORIZATION_REQUIRED,
                "the stored refresh token of grant "
                    + r.grantId()
                    + " was rejected: store a new one");
          }
          Map<String, String> parts = new LinkedHashMap<>();
          OAuthTokenEndpoint.Answer answer =
              decrypt.open(
                  secret,
                  current,
                  stored -> {
                    parts.putAll(stored.parts());
                    return oauth.request(
                        settings(r, minting, stored), stored.primary(), r.grantId());
                  });
          if (answer.nextRefreshToken() == null) {
            return new MintedTokenCache.Minted(answer.token(), current.version());
          }
          parts.put(WireFormat.PRIMARY_PART, answer.nextRefreshToken());
          long now = clock.millis();
          long next = secrets.claimNextVersion(c, secretId, now).orElseThrow();
          String fingerprint = cipher.fingerprint(answer.nextRefreshToken());
          secrets.insertVersion(
              c,
              new CredentialVersionRecord(
                  secretId,
                  next,
                  encrypt(new CredentialBinding(secret.appId(), secretId, next), parts),
                  fingerprint,
                  now));
          secrets.setFingerprint(c, secretId, fingerprint);
          audit.write(
              c,
              AuditTrail.event(ACTOR, "secret.refresh_token_rotated", AuditTrail.OK)
                  .app(secret.appId())
                  .secret(secretId)
                  .grant(r.grantId())
                  .fingerprint(fingerprint)
                  .reason("version " + next));
          parts.clear();
          return new MintedTokenCache.Minted(answer.token(), next);
        });
  }

  /** The stored settings, and plain HTTP to the token endpoint only while the secret allows it. */
  private static MintingSettings settings(
      ResolvedGrant r, Minting minting, CredentialPayload stored) {
    MintingSettings settings = MintingSettings.from(minting, stored);
    if ("http".equalsIgnoreCase(settings.tokenEndpoint().getScheme())
        && !r.secret().allowPlainHttp()) {
      throw new ApiException(
          ErrorCode.INSECURE_SCHEME,
          "the token endpoint of grant "
              + r.grantId()
              + " is plain http, which the secret no longer allows",
          r.grantId());
    }
    return settings;
  }

  private void refuseIfRejected(ResolvedGrant r) {
    long rejected =
        db.inTransaction(c -> reauthorizations.rejectedVersion(c, r.secret().secretId())).orElse(0);
    if (rejected >= r.version().version()) {
      throw new ApiException(
          ErrorCode.REAUTHORIZATION_REQUIRED,
          "the stored refresh token of grant "
              + r.grantId()
              + " was rejected by the provider: an operator must store a new one",
          r.grantId());
    }
  }

  private void recordRejected(ResolvedGrant r) {
    String secretId = r.secret().secretId();
    db.inTransaction(
        c -> {
          SecretRecord secret = secrets.find(c, secretId).orElseThrow();
          reauthorizations.markRejected(c, secretId, secret.currentVersion(), clock.millis());
          audit.write(
              c,
              AuditTrail.event(ACTOR, "secret.reauthorization_required", AuditTrail.DENIED)
                  .app(secret.appId())
                  .secret(secretId)
                  .grant(r.grantId())
                  .reason("version " + secret.currentVersion() + ": invalid_grant"));
          return null;
        });
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

  /** Opens a stored version for one use; the plaintext is zeroed after it. */
  interface Decryptor {
    <T> T open(
        SecretRecord secret,
        CredentialVersionRecord version,
        java.util.function.Function<CredentialPayload, T> use);
  }
}
