package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.HostNames;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.SealedBox;
import dev.alter.contract.aws.AwsScope;
import dev.alter.contract.policy.RequestPolicy;
import dev.alter.service.catalog.Provider;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.mint.MintedToken;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.SecretRecord;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a resolve hands out once every check passed: the grant's current credential, or for {@code
 * aws} a signing key derived from it, sealed to the caller's key, with the injection and TTL that
 * go with it. The decrypted bytes are zeroed whatever happens.
 */
final class CredentialSealer {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialSealer.class);

  private final EnvelopeCipher cipher;
  private final ProviderCatalog catalog;
  private final MintedCredentials minted;

  CredentialSealer(EnvelopeCipher cipher, ProviderCatalog catalog, MintedCredentials minted) {
    this.cipher = cipher;
    this.catalog = catalog;
    this.minted = minted;
  }

  record Sealed(SealedBox box, InjectionSpec injection, int ttlSeconds) {}

  /**
   * @param signingDate the caller's {@code signing_date} (aws only), or null
   */
  Sealed seal(
      ResolvedGrant r,
      String destinationUrl,
      String signingDate,
      byte[] publicKey,
      Instant now,
      RequestPolicy policy) {
    InjectionSpec injection = r.secret().injection();
    Provider provider = catalog.find(r.secret().provider()).orElse(null);
    if (provider != null && provider.minted()) {
      // Invariant 4: the agent gets the minted token, never what it is minted from.
      MintedToken token = minted.token(r, provider, decryptorFor(r.grantId()), now);
      return new Sealed(
          seal(r, publicKey, withPolicy(CredentialPayload.single(token.accessToken()), policy)),
          injection,
          (int) Math.max(1, Math.min(r.secret().ttlSeconds(), token.secondsLeft(now))));
    }
    if (!Provider.AWS.equals(r.secret().provider())) {
      return new Sealed(
          seal(
              r,
              publicKey,
              withPolicy(
                  withStoredCredential(r.grantId(), r.secret(), r.version(), stored -> stored),
                  policy)),
          injection,
          r.secret().ttlSeconds());
    }
    // Invariant 4: the agent gets a signing key for one (date, region, service), never the secret.
    AwsScope scope =
        AwsSigningScope.resolve(
            r.grantId(), normalisedHost(destinationUrl), injection, signingDate, now);
    AwsSigningKeyIssuer.Issued issued =
        withStoredCredential(
            r.grantId(),
            r.secret(),
            r.version(),
            stored ->
                AwsSigningKeyIssuer.issue(
                    r.grantId(), AwsStoredCredential.from(stored), scope, now));
    return new Sealed(
        seal(r, publicKey, withPolicy(issued.payload(), policy)),
        InjectionSpec.awsSigV4(scope.region(), scope.service()),
        (int) Math.min(r.secret().ttlSeconds(), issued.validForSeconds()));
  }

  /** The grant's request policy goes inside the box, so nothing on the way can change it. */
  private static CredentialPayload withPolicy(CredentialPayload payload, RequestPolicy policy) {
    return policy == null ? payload : payload.withRequestPolicy(policy);
  }

  /**
   * Decrypts the current version and hands its parts to {@code use} (which returns what the caller
   * may receive); the decrypted bytes are zeroed whatever happens.
   */
  private <T> T withStoredCredential(
      String grantId,
      SecretRecord secret,
      CredentialVersionRecord version,
      Function<CredentialPayload, T> use) {
    byte[] plaintext;
    try {
      plaintext =
          cipher.decrypt(
              new CredentialBinding(secret.appId(), secret.secretId(), version.version()),
              version.encrypted());
    } catch (GeneralSecurityException e) {
      String keyId = version.encrypted().masterKeyId();
      if (cipher.keyring().find(keyId) == null) {
        throw new ApiException(
            ErrorCode.MASTER_KEY_MISSING,
            "the credential of grant "
                + grantId
                + " is wrapped by master key "
                + keyId
                + ", which this service was not given",
            grantId);
      }
      LOG.error(
          "Cannot decrypt version {} of secret {} (master key {}): {}",
          version.version(),
          secret.secretId(),
          keyId,
          e.getClass().getSimpleName());
      throw new ApiException(
          ErrorCode.INTERNAL_ERROR,
          "the stored credential could not be decrypted; check that "
              + "master key "
              + keyId
              + " is configured",
          grantId);
    }
    try {
      return use.apply(CredentialPayload.decode(plaintext));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private MintedCredentials.Decryptor decryptorFor(String grantId) {
    return new MintedCredentials.Decryptor() {
      @Override
      public <T> T open(
          SecretRecord secret,
          CredentialVersionRecord version,
          Function<CredentialPayload, T> use) {
        return withStoredCredential(grantId, secret, version, use);
      }
    };
  }

  private static SealedBox seal(ResolvedGrant r, byte[] publicKey, CredentialPayload payload) {
    try {
      return CredentialSealing.seal(publicKey, r.grantId(), r.version().version(), payload);
    } catch (GeneralSecurityException e) {
      // e.g. a low-order point, for which X25519 yields no shared secret
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "public_key is not a usable X25519 public key", r.grantId());
    }
  }

  /**
   * The destination's host as destination binding compares it (IDNA, lower case, no trailing dot).
   */
  private static String normalisedHost(String url) {
    try {
      String host = new URI(url).getHost();
      return host == null ? null : HostNames.normalize(host).name;
    } catch (Exception e) {
      return null;
    }
  }
}
