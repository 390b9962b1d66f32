package dev.alter.service.app;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.CredentialSealing;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.HostNames;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.ResolveRequest;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.SealedBox;
import dev.alter.contract.WireFormat;
import dev.alter.contract.aws.AwsScope;
import dev.alter.identity.AccessDecision;
import dev.alter.identity.AgentTokenProof;
import dev.alter.identity.GrantAccessCheck;
import dev.alter.identity.GrantPrincipal;
import dev.alter.identity.PresentedIdentity;
import dev.alter.service.catalog.Provider;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.ResolveRepository;
import dev.alter.service.store.SecretRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/resolve}: checks, in the order API.md gives, whether this app may have this
 * grant's credential for this destination, and answers it sealed to the caller's key. Every
 * outcome is audited and counted.
 */
public final class ResolveService {
  private static final Logger LOG = LoggerFactory.getLogger(ResolveService.class);
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
  private static final int MAX_IDENTITY = 16 * 1024;

  private final Database db;
  private final GrantRepository grants;
  private final ResolveRepository lookups = new ResolveRepository();
  /** The {@code alter_resolutions} counter per outcome, looked up once (the registry sorts tags per call). */
  private final java.util.concurrent.ConcurrentHashMap<String, io.micrometer.core.instrument.Counter> outcomes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final MeterRegistry metrics;
  private final GrantAccessCheck access;
  private final Clock clock;

  /**
   * @param access verifies {@code alter-identity} and matches it to the grant on every resolve;
   *     nothing about an identity is cached here, so revocations apply at the next request
   * @param clock "now" for grant expiry, AWS signing dates and TTLs
   */
  public ResolveService(Database db, GrantRepository grants, EnvelopeCipher cipher,
      AuditTrail audit, MeterRegistry metrics, GrantAccessCheck access, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.access = access;
    this.grants = grants;
    this.cipher = cipher;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** What the audit record of one resolve says; filled in as the checks pass. */
  private static final class Attempt {
    final String actor;
    String appId;
    String grantId;
    String secretId;
    String principal;
    String host;
    String fingerprint;
    /** The failed identity check ({@code signature_invalid}, {@code other_user}, …), for audit. */
    String identityReason;
    /** Who presented the identity ({@code user:idp_…/alice}), when it could be trusted. */
    String subject;

    Attempt(String actor) {
      this.actor = actor;
    }
  }

  /** Audits and counts a resolve whose app key was missing, unknown or revoked. */
  public void recordUnauthorized() {
    Attempt a = new Attempt("unknown");
    finish(a, ErrorCode.UNAUTHORIZED_APP, "app key missing, unknown or revoked");
  }

  /** Audits and counts a resolve refused for its signature (the detail names why, never a value). */
  public void recordRejectedSignature(String detail) {
    finish(new Attempt("unknown"), ErrorCode.SIGNATURE_REJECTED, detail);
  }

  /** Audits and counts a resolve whose body could not be read. */
  public void recordMalformed(Caller caller, ErrorCode code, String detail) {
    Attempt a = new Attempt(caller.actor());
    a.appId = caller.appId();
    finish(a, code, detail);
  }

  /**
   * @param agentProof a managed agent's proof of its token, carried by the request's signature
   *     instead of the token in {@code identity}; null when there is none
   */
  public ResolveResponse resolve(Caller caller, ResolveRequest request, AgentTokenProof agentProof) {
    Attempt a = new Attempt(caller.actor());
    a.appId = caller.appId();
    try {
      ResolveResponse response = check(caller, request, agentProof, a);
      finish(a, null, null);
      return response;
    } catch (ApiException e) {
      finish(a, e.code(), e.getMessage());
      throw e;
    } catch (dev.alter.service.store.StoreUnavailableException e) {
      finish(a, ErrorCode.STORE_UNAVAILABLE, "store unavailable");
      throw e;
    } catch (RuntimeException e) {
      finish(a, ErrorCode.INTERNAL_ERROR, e.getClass().getSimpleName());
      throw e;
    }
  }

  private ResolveResponse check(Caller caller, ResolveRequest request, AgentTokenProof agentProof, Attempt a) {
    String grantRef = request.getGrant();
    if (grantRef == null || grantRef.isEmpty() || grantRef.length() > 80 || SecretValidation.hasControl(grantRef)) {
      throw ApiException.invalid("grant is required: a grant id (grt_…) or @provider");
    }
    // The audit keeps a grant id only in the form the service gives them: anything else is the caller's text.
    a.grantId = ApiKeys.isId(WireFormat.GRANT_ID_PREFIX, grantRef) ? grantRef : null;
    ResolveRequest.Destination destination = request.getDestination();
    if (destination == null || destination.getUrl() == null || destination.getUrl().isEmpty()
        || destination.getUrl().length() > 4096) {
      throw ApiException.invalid("destination.url is required (an absolute URL of at most 4096 characters)");
    }
    if (destination.getMethod() == null || !METHOD.matcher(destination.getMethod()).matches()) {
      throw ApiException.invalid("destination.method is required (an upper-case HTTP method)");
    }
    a.host = hostOf(destination.getUrl());
    if (request.getIdentity() != null && request.getIdentity().length() > MAX_IDENTITY) {
      throw ApiException.invalid("identity is longer than " + MAX_IDENTITY + " characters");
    }
    if (request.getIdentity() != null && agentProof != null) {
      throw ApiException.invalid("identity must be absent when the signature proves an agent token");
    }
    byte[] publicKey;
    try {
      publicKey = CredentialSealing.decodePublicKey(request.getPublicKey() == null ? "" : request.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw ApiException.invalid("public_key must be a base64url raw X25519 public key of 32 bytes");
    }

    long now = clock.millis();
    PresentedIdentity identity = agentProof != null ? PresentedIdentity.agentProof(agentProof)
        : request.getIdentity() != null ? PresentedIdentity.token(request.getIdentity()) : null;
    // @provider with an identity: pick the one user/group/agent grant this identity holds. The
    // token is verified outside any transaction (a JWKS fetch must not hold a connection).
    AccessDecision selected = null;
    String selectedGrantId = null;
    if (grantRef.startsWith("@") && identity != null) {
      String provider = grantRef.substring(1).toLowerCase(Locale.ROOT);
      List<GrantRecord> candidates = db.inTransaction(c ->
          grants.findUsableNonSystem(c, caller.appId(), provider, now));
      GrantAccessCheck.SelectedGrant<GrantRecord> selection = access.selectPresented(provider, candidates,
          g -> GrantPrincipal.fromStored(Principals.parse(g.principalJson())), identity);
      if (!selection.decision().allowed()) {
        throw denial(selection.decision(), null, a);
      }
      selected = selection.decision();
      selectedGrantId = selection.grant().orElseThrow().grantId();
    }
    String grantLookup = selectedGrantId == null ? grantRef : selectedGrantId;
    // One query reads the grant, its secret and the current version (see ResolveRepository).
    Resolved r = db.inTransaction(c -> {
      ResolveRepository.GrantedSecret found = findGrant(c, caller.appId(), grantLookup, now);
      GrantRecord grant = found.grant();
      a.grantId = grant.grantId();
      Map<String, String> principal = Principals.parse(grant.principalJson());
      a.principal = Principals.describe(principal);
      SecretRecord secret = found.secret();
      a.secretId = secret.secretId();
      if (grant.revokedAt() != null) {
        throw new ApiException(ErrorCode.GRANT_REVOKED, "grant " + grant.grantId() + " was revoked", grant.grantId());
      }
      if (grant.expiresAt() != null && grant.expiresAt() <= now) {
        throw new ApiException(ErrorCode.GRANT_REVOKED, "grant " + grant.grantId() + " has expired", grant.grantId());
      }
      if (secret.deleted()) {
        throw new ApiException(ErrorCode.GRANT_REVOKED,
            "the secret of grant " + grant.grantId() + " was deleted", grant.grantId());
      }
      CredentialVersionRecord version = found.currentVersion()
          .orElseThrow(() -> new IllegalStateException("secret " + secret.secretId() + " lacks its current version"));
      return new Resolved(grant, principal, secret, version);
    });
    a.fingerprint = r.version.fingerprint();
    String grantId = r.grant.grantId();

    List<String> destinations = SecretService.destinationsOf(r.secret);
    DestinationPolicy policy;
    try {
      policy = DestinationPolicy.of(destinations);
    } catch (IllegalArgumentException e) {
      // stored before the grammar refused it (e.g. a numeric host form): fail closed, say how to fix it
      throw new ApiException(ErrorCode.HOST_NOT_ALLOWED, "a stored destination of this secret is no longer accepted ("
          + e.getMessage() + "); set the secret's destinations again", grantId);
    }
    DestinationPolicy.Decision decision = policy.checkUrl(destination.getUrl());
    if (!decision.allowed()) {
      throw new ApiException(decision.error, decision.reason, grantId);
    }
    AccessDecision allowed = selected != null ? selected
        : access.checkPresented(GrantPrincipal.fromStored(r.principal), identity);
    if (!allowed.allowed()) {
      throw denial(allowed, grantId, a);
    }
    a.subject = allowed.subject().orElse(null);
    InjectionSpec injection = SecretService.injectionOf(r.secret);
    int ttlSeconds = r.secret.ttlSeconds();
    SealedBox sealed;
    if (Provider.AWS.equals(r.secret.provider())) {
      // Invariant 4: the agent gets a signing key for one (date, region, service), never the secret.
      AwsScope scope = AwsSigningScope.resolve(grantId, normalisedHost(destination.getUrl()), injection,
          request.getSigningDate(), Instant.ofEpochMilli(now));
      AwsSigningKeyIssuer.Issued issued = withStoredCredential(r, stored ->
          AwsSigningKeyIssuer.issue(grantId, AwsStoredCredential.from(stored), scope, Instant.ofEpochMilli(now)));
      sealed = seal(r, publicKey, issued.payload());
      ttlSeconds = (int) Math.min(ttlSeconds, issued.validForSeconds());
      injection = InjectionSpec.awsSigV4(scope.region(), scope.service());
    } else {
      sealed = seal(r, publicKey, withStoredCredential(r, stored -> stored));
    }
    ResolveResponse response = new ResolveResponse();
    response.setGrantId(grantId);
    response.setSecretId(r.secret.secretId());
    response.setProvider(r.secret.provider());
    response.setCredentialVersion(r.version.version());
    response.setSealed(sealed);
    response.setInjection(injection);
    response.setDestinations(destinations);
    response.setTtlSeconds(ttlWithin(ttlSeconds, allowed, now));
    return response;
  }

  /**
   * The secret's cache TTL, cut so the agent's cache entry ends no later than the presented JWT
   * (its {@code exp}): a credential resolved for a token never outlives the token.
   */
  private static int ttlWithin(int ttlSeconds, AccessDecision decision, long now) {
    return decision.notAfter()
        .map(notAfter -> (int) Math.max(0, Math.min(ttlSeconds, (notAfter.toEpochMilli() - now) / 1000)))
        .orElse(ttlSeconds);
  }

  /** The refusal of an identity check: the decision's code and detail; reason and subject go to audit. */
  private static ApiException denial(AccessDecision decision, String grantId, Attempt a) {
    a.identityReason = decision.reason().orElse(null);
    a.subject = decision.subject().orElse(null);
    return new ApiException(decision.errorCode().orElseThrow(), decision.detail(), grantId);
  }

  /** What the one read found; the grant's principal parsed once for audit and the access check. */
  private record Resolved(GrantRecord grant, Map<String, String> principal, SecretRecord secret,
      CredentialVersionRecord version) {}

  private ResolveRepository.GrantedSecret findGrant(java.sql.Connection c, String appId, String grantRef, long now)
      throws java.sql.SQLException {
    if (grantRef.startsWith("@")) {
      String provider = grantRef.substring(1).toLowerCase(Locale.ROOT);
      List<GrantRecord> usable = grants.findUsable(c, appId, provider, Principals.SYSTEM, now);
      if (usable.isEmpty()) {
        throw new ApiException(ErrorCode.GRANT_NOT_FOUND, "this app has no usable system grant of the provider named in grant");
      }
      if (usable.size() > 1) {
        throw new ApiException(ErrorCode.AMBIGUOUS_GRANT, "this app has " + usable.size()
            + " system grants of provider '" + provider + "'; send an explicit grant id");
      }
      grantRef = usable.get(0).grantId();
    }
    String grantId = grantRef;
    if (!ApiKeys.isId(WireFormat.GRANT_ID_PREFIX, grantId)) {
      throw new ApiException(ErrorCode.GRANT_NOT_FOUND, "grant is not a grant id (grt_ and 20 hex digits) or @provider");
    }
    // A grant of another app is answered exactly like a missing one.
    return lookups.find(c, grantId).filter(found -> found.grant().appId().equals(appId))
        .orElseThrow(() -> new ApiException(ErrorCode.GRANT_NOT_FOUND,
            "no grant " + grantId + " exists for this app", grantId));
  }

  /**
   * Decrypts the current version and hands its parts to {@code use} (which returns what the
   * caller may receive); the decrypted bytes are zeroed whatever happens.
   */
  private <T> T withStoredCredential(Resolved r, Function<CredentialPayload, T> use) {
    byte[] plaintext;
    try {
      plaintext = cipher.decrypt(new CredentialBinding(r.secret.appId(), r.secret.secretId(), r.version.version()),
          r.version.encrypted());
    } catch (GeneralSecurityException e) {
      String keyId = r.version.encrypted().masterKeyId();
      if (cipher.keyring().find(keyId) == null) {
        throw new ApiException(ErrorCode.MASTER_KEY_MISSING, "the credential of grant " + r.grant.grantId()
            + " is wrapped by master key " + keyId + ", which this service was not given", r.grant.grantId());
      }
      LOG.error("Cannot decrypt version {} of secret {} (master key {}): {}", r.version.version(),
          r.secret.secretId(), r.version.encrypted().masterKeyId(), e.getClass().getSimpleName());
      throw new ApiException(ErrorCode.INTERNAL_ERROR, "the stored credential could not be decrypted; check that "
          + "master key " + r.version.encrypted().masterKeyId() + " is configured", r.grant.grantId());
    }
    try {
      return use.apply(CredentialPayload.decode(plaintext));
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private static SealedBox seal(Resolved r, byte[] publicKey, CredentialPayload payload) {
    try {
      return CredentialSealing.seal(publicKey, r.grant.grantId(), r.version.version(), payload);
    } catch (GeneralSecurityException e) {
      // e.g. a low-order point, for which X25519 yields no shared secret
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "public_key is not a usable X25519 public key", r.grant.grantId());
    }
  }

  private void finish(Attempt a, ErrorCode error, String reason) {
    String outcome = error == null ? AuditTrail.ALLOWED : AuditTrail.DENIED;
    outcomes.computeIfAbsent(error == null ? "allowed" : error.code(),
        code -> metrics.counter("alter_resolutions", "outcome", code)).increment();
    try {
      // Group commit: concurrent resolves share one audit transaction; this returns only once
      // this record is committed, so no allowed answer leaves without its audit record.
      audit.writeCommitted(AuditTrail.event(a.actor, "resolve", outcome).app(a.appId).grant(a.grantId)
          .secret(a.secretId).principal(a.principal).destinationHost(a.host).fingerprint(a.fingerprint)
          .reason(auditReason(a, error, reason)));
    } catch (RuntimeException e) {
      // The answer to the caller stands (a denial stays a denial); an allowed resolve whose
      // audit record cannot be written is refused by the caller seeing store_unavailable.
      if (error == null) {
        throw e;
      }
      LOG.warn("Could not audit a denied resolve: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * {@code <code>: <detail>}; identity denials add the failed check and the subject:
   * {@code identity_invalid: signature_invalid: <detail> (subject user:idp_…/alice)}. Allowed
   * resolves under an identity record only the subject. Never a token.
   */
  private static String auditReason(Attempt a, ErrorCode error, String detail) {
    String subject = a.subject == null ? "" : " (subject " + a.subject + ")";
    if (error == null) {
      return a.subject == null ? null : "subject " + a.subject;
    }
    return error.code() + ": " + (a.identityReason == null ? "" : a.identityReason + ": ") + detail + subject;
  }

  /** The destination's host as destination binding compares it (IDNA, lower case, no trailing dot). */
  private static String normalisedHost(String url) {
    try {
      String host = new URI(url).getHost();
      return host == null ? null : HostNames.normalize(host).name;
    } catch (Exception e) {
      return null;
    }
  }

  /** The host of the destination URL for audit records, or null when the URL has none. */
  private static String hostOf(String url) {
    try {
      String host = new URI(url).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (Exception e) {
      return null;
    }
  }
}
