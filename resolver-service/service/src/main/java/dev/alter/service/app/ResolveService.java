package dev.alter.service.app;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.ResolveRequest;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.WireFormat;
import dev.alter.contract.policy.RequestPolicy;
import dev.alter.identity.AccessDecision;
import dev.alter.identity.AgentTokenProof;
import dev.alter.identity.GrantAccessCheck;
import dev.alter.identity.GrantPrincipal;
import dev.alter.identity.PresentedIdentity;
import dev.alter.service.app.ResolveAudit.Attempt;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.policy.GrantPolicy;
import dev.alter.service.policy.ResolveCaps;
import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.ResolveRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import dev.alter.service.store.StoreUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/resolve}: checks, in the order API.md gives, whether this app may have this
 * grant's credential for this destination, and answers it sealed to the caller's key. Every outcome
 * is audited and counted.
 */
public final class ResolveService {
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
  private static final int MAX_IDENTITY = 16 * 1024;

  /**
   * A cold mint waits this long for the token endpoint (docs/minted.md: agents resolving minted
   * secrets cold need a resolve_timeout above it).
   */
  private static final Duration TOKEN_ENDPOINT_TIMEOUT = Duration.ofSeconds(5);

  /** How long a token whose answer gives no expires_in is reused. */
  private static final Duration TOKEN_LIFETIME_WHEN_UNSAID = Duration.ofMinutes(5);

  private final Database db;
  private final GrantRepository grants;
  private final ResolveRepository lookups = new ResolveRepository();
  private final CredentialSealer sealer;
  private final ResolveAudit audit;
  private final GrantAccessCheck access;
  private final Clock clock;
  private final ResolveCaps resolveCaps = new ResolveCaps();

  /**
   * @param access verifies {@code alter-identity} and matches it to the grant on every resolve;
   *     nothing about an identity is cached here, so revocations apply at the next request
   * @param clock "now" for grant expiry, AWS signing dates and TTLs
   */
  public ResolveService(
      Database db,
      GrantRepository grants,
      EnvelopeCipher cipher,
      AuditTrail audit,
      MeterRegistry metrics,
      GrantAccessCheck access,
      ProviderCatalog catalog,
      SecretRepository secrets,
      Clock clock) {
    this.db = db;
    this.grants = grants;
    this.sealer =
        new CredentialSealer(
            cipher,
            catalog,
            new MintedCredentials(
                db,
                secrets,
                cipher,
                audit,
                TOKEN_ENDPOINT_TIMEOUT,
                TOKEN_LIFETIME_WHEN_UNSAID,
                clock));
    this.audit = new ResolveAudit(audit, metrics);
    this.access = access;
    this.clock = clock;
  }

  /** Audits and counts a resolve whose app key was missing, unknown or revoked. */
  public void recordUnauthorized() {
    audit.finish(
        new Attempt("unknown"), ErrorCode.UNAUTHORIZED_APP, "app key missing, unknown or revoked");
  }

  /**
   * Audits and counts a resolve refused for its signature (the detail names why, never a value).
   */
  public void recordRejectedSignature(String detail) {
    audit.finish(new Attempt("unknown"), ErrorCode.SIGNATURE_REJECTED, detail);
  }

  /** Audits and counts a resolve whose body could not be read. */
  public void recordMalformed(Caller caller, ErrorCode code, String detail) {
    Attempt a = new Attempt(caller.actor());
    a.appId = caller.appId();
    audit.finish(a, code, detail);
  }

  /**
   * @param agentProof a managed agent's proof of its token, carried by the request's signature
   *     instead of the token in {@code identity}; null when there is none
   */
  public ResolveResponse resolve(
      Caller caller, ResolveRequest request, AgentTokenProof agentProof) {
    return resolve(caller, request, agentProof, null);
  }

  /**
   * @param clientAddress the resolving agent's address as grant policies' networks see it ({@code
   *     ClientAddress}); null when unknown (a grant with networks then refuses)
   */
  public ResolveResponse resolve(
      Caller caller, ResolveRequest request, AgentTokenProof agentProof, byte[] clientAddress) {
    Attempt a = new Attempt(caller.actor());
    a.appId = caller.appId();
    try {
      ResolveResponse response = check(caller, request, agentProof, clientAddress, a);
      audit.finish(a, null, null);
      return response;
    } catch (ApiException e) {
      audit.finish(a, e.code(), e.getMessage());
      throw e;
    } catch (StoreUnavailableException e) {
      audit.finish(a, ErrorCode.STORE_UNAVAILABLE, "store unavailable");
      throw e;
    } catch (RuntimeException e) {
      audit.finish(a, ErrorCode.INTERNAL_ERROR, e.getClass().getSimpleName());
      throw e;
    }
  }

  /** The checks in API.md's order, each one step; the first that fails answers. */
  private ResolveResponse check(
      Caller caller,
      ResolveRequest request,
      AgentTokenProof agentProof,
      byte[] clientAddress,
      Attempt a) {
    byte[] publicKey = checkRequest(request, agentProof, a);
    long now = clock.millis();
    PresentedIdentity identity =
        agentProof != null
            ? PresentedIdentity.agentProof(agentProof)
            : request.getIdentity() != null ? PresentedIdentity.token(request.getIdentity()) : null;
    Optional<GrantAccessCheck.SelectedGrant<GrantRecord>> selected =
        selectByIdentity(caller.appId(), request.getGrant(), identity, now, a);
    String grantRef =
        selected.map(s -> s.grant().orElseThrow().grantId()).orElse(request.getGrant());
    ResolvedGrant r = readGrant(caller.appId(), grantRef, now, a);
    String url = request.getDestination().getUrl();
    checkDestination(r, url);
    AccessDecision allowed = checkIdentity(r, selected, identity, a);
    GrantPolicy policy = checkPolicy(r, clientAddress, now);
    long validUntil = validUntil(r, policy, now);
    // the agent gets the time left, not the instant: its clock may be off from this one
    RequestPolicy forAgent =
        policy == null
            ? null
            : policy.forAgent(
                allowed.subject().orElse(null), validUntil == 0 ? 0 : validUntil - now);
    CredentialSealer.Sealed sealed =
        sealer.seal(
            r, url, request.getSigningDate(), publicKey, Instant.ofEpochMilli(now), forAgent);
    int ttl = ttlWithin(sealed.ttlSeconds(), allowed, now);
    if (validUntil > 0) {
      // never a TTL past the end of the current window or the grant's expiry
      ttl = (int) Math.max(0, Math.min(ttl, (validUntil - now) / 1000));
    }
    ResolveResponse response = answer(r, sealed, ttl);
    response.setPolicySealed(forAgent != null);
    return response;
  }

  /**
   * The grant's policy, checked for what the service sees (not_before, time windows, the caller's
   * network, the resolve cap); null when the grant has none.
   */
  private GrantPolicy checkPolicy(ResolvedGrant r, byte[] clientAddress, long now) {
    GrantPolicy policy;
    try {
      policy = GrantPolicy.fromJson(r.grant().policyJson(), r.grant().principalType());
    } catch (RuntimeException unreadable) {
      throw new ApiException(
          ErrorCode.POLICY_VIOLATION,
          "grant "
              + r.grantId()
              + " has a stored policy this service no longer accepts; set it again with 'alter grants set-policy'",
          r.grantId());
    }
    if (policy == null) {
      return null;
    }
    String refusal = policy.refusalAt(Instant.ofEpochMilli(now), clientAddress);
    if (refusal == null
        && policy.resolvesPerMinute() != null
        && !resolveCaps.tryAcquire(r.grantId(), policy.resolvesPerMinute(), now)) {
      refusal =
          "rule resolves_per_minute: more than "
              + policy.resolvesPerMinute()
              + " resolves of this grant in the last minute";
    }
    if (refusal != null) {
      throw new ApiException(
          ErrorCode.POLICY_VIOLATION,
          "grant " + r.grantId() + " refused by " + refusal,
          r.grantId());
    }
    return policy;
  }

  /** The end of the current window or the grant's expiry, whichever is first; 0 for neither. */
  private static long validUntil(ResolvedGrant r, GrantPolicy policy, long now) {
    long until = r.grant().expiresAt() == null ? 0 : r.grant().expiresAt();
    if (policy != null && policy.hasWindows()) {
      long windowEnd = policy.currentWindowEnd(Instant.ofEpochMilli(now)).toEpochMilli();
      until = until == 0 ? windowEnd : Math.min(until, windowEnd);
    }
    return until;
  }

  /**
   * The request's own fields; returns the caller's public key. The grant and host go to audit as
   * soon as they are known.
   */
  private static byte[] checkRequest(
      ResolveRequest request, AgentTokenProof agentProof, Attempt a) {
    String grantRef = request.getGrant();
    if (grantRef == null
        || grantRef.isEmpty()
        || grantRef.length() > 80
        || SecretValidation.hasControl(grantRef)) {
      throw ApiException.invalid("grant is required: a grant id (grt_…) or @provider");
    }
    // The audit keeps a grant id only in the form the service gives them: anything else is the
    // caller's text.
    a.grantId = ApiKeys.isId(WireFormat.GRANT_ID_PREFIX, grantRef) ? grantRef : null;
    ResolveRequest.Destination destination = request.getDestination();
    if (destination == null
        || destination.getUrl() == null
        || destination.getUrl().isEmpty()
        || destination.getUrl().length() > 4096) {
      throw ApiException.invalid(
          "destination.url is required (an absolute URL of at most 4096 characters)");
    }
    if (destination.getMethod() == null || !METHOD.matcher(destination.getMethod()).matches()) {
      throw ApiException.invalid("destination.method is required (an upper-case HTTP method)");
    }
    a.host = hostOf(destination.getUrl());
    if (request.getIdentity() != null && request.getIdentity().length() > MAX_IDENTITY) {
      throw ApiException.invalid("identity is longer than " + MAX_IDENTITY + " characters");
    }
    if (request.getIdentity() != null && agentProof != null) {
      throw ApiException.invalid(
          "identity must be absent when the signature proves an agent token");
    }
    try {
      return CredentialSealing.decodePublicKey(
          request.getPublicKey() == null ? "" : request.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw ApiException.invalid(
          "public_key must be a base64url raw X25519 public key of 32 bytes");
    }
  }

  /**
   * {@code @provider} with an identity: the one user/group/agent grant this identity holds, or
   * empty for any other request. The token is verified outside any transaction (a JWKS fetch must
   * not hold a connection).
   */
  private Optional<GrantAccessCheck.SelectedGrant<GrantRecord>> selectByIdentity(
      String appId, String grantRef, PresentedIdentity identity, long now, Attempt a) {
    if (!grantRef.startsWith("@") || identity == null) {
      return Optional.empty();
    }
    String provider = grantRef.substring(1).toLowerCase(Locale.ROOT);
    List<GrantRecord> candidates =
        db.inTransaction(c -> grants.findUsableNonSystem(c, appId, provider, now));
    GrantAccessCheck.SelectedGrant<GrantRecord> selection =
        access.selectPresented(
            provider,
            candidates,
            g -> GrantPrincipal.fromStored(Principals.parse(g.principalJson())),
            identity);
    if (!selection.decision().allowed()) {
      throw a.denied(selection.decision(), null);
    }
    return Optional.of(selection);
  }

  /**
   * One query reads the grant, its secret and the current version (see ResolveRepository); each
   * must be live.
   */
  private ResolvedGrant readGrant(String appId, String grantRef, long now, Attempt a) {
    ResolvedGrant r =
        db.inTransaction(
            c -> {
              ResolveRepository.GrantedSecret found = findGrant(c, appId, grantRef, now);
              GrantRecord grant = found.grant();
              a.grantId = grant.grantId();
              Map<String, String> principal = Principals.parse(grant.principalJson());
              a.principal = Principals.describe(principal);
              SecretRecord secret = found.secret();
              a.secretId = secret.secretId();
              if (grant.revokedAt() != null) {
                throw new ApiException(
                    ErrorCode.GRANT_REVOKED,
                    "grant " + grant.grantId() + " was revoked",
                    grant.grantId());
              }
              if (grant.expiresAt() != null && grant.expiresAt() <= now) {
                throw new ApiException(
                    ErrorCode.GRANT_REVOKED,
                    "grant " + grant.grantId() + " has expired",
                    grant.grantId());
              }
              if (secret.deleted()) {
                throw new ApiException(
                    ErrorCode.GRANT_REVOKED,
                    "the secret of grant " + grant.grantId() + " was deleted",
                    grant.grantId());
              }
              CredentialVersionRecord version =
                  found
                      .currentVersion()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "secret " + secret.secretId() + " lacks its current version"));
              return new ResolvedGrant(grant, principal, secret, version);
            });
    a.fingerprint = r.version().fingerprint();
    return r;
  }

  private ResolveRepository.GrantedSecret findGrant(
      Connection c, String appId, String grantRef, long now) throws SQLException {
    if (grantRef.startsWith("@")) {
      String provider = grantRef.substring(1).toLowerCase(Locale.ROOT);
      List<GrantRecord> usable = grants.findUsable(c, appId, provider, Principals.SYSTEM, now);
      if (usable.isEmpty()) {
        throw new ApiException(
            ErrorCode.GRANT_NOT_FOUND,
            "this app has no usable system grant of the provider named in grant");
      }
      if (usable.size() > 1) {
        throw new ApiException(
            ErrorCode.AMBIGUOUS_GRANT,
            "this app has "
                + usable.size()
                + " system grants of provider '"
                + provider
                + "'; send an explicit grant id");
      }
      grantRef = usable.get(0).grantId();
    }
    String grantId = grantRef;
    if (!ApiKeys.isId(WireFormat.GRANT_ID_PREFIX, grantId)) {
      throw new ApiException(
          ErrorCode.GRANT_NOT_FOUND,
          "grant is not a grant id (grt_ and 20 hex digits) or @provider");
    }
    // A grant of another app is answered exactly like a missing one.
    return lookups
        .find(c, grantId)
        .filter(found -> found.grant().appId().equals(appId))
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.GRANT_NOT_FOUND,
                    "no grant " + grantId + " exists for this app",
                    grantId));
  }

  /** The destination must be one the secret allows. */
  private static void checkDestination(ResolvedGrant r, String url) {
    DestinationPolicy policy;
    try {
      policy = DestinationPolicy.of(r.secret().destinations());
    } catch (IllegalArgumentException e) {
      // stored before the grammar refused it (e.g. a numeric host form): fail closed, say how to
      // fix it
      throw new ApiException(
          ErrorCode.HOST_NOT_ALLOWED,
          "a stored destination of this secret is no longer accepted ("
              + e.getMessage()
              + "); set the secret's destinations again",
          r.grantId());
    }
    DestinationPolicy.Decision decision = policy.checkUrl(url);
    if (!decision.allowed()) {
      throw new ApiException(decision.error, decision.reason, r.grantId());
    }
  }

  /** The presented identity must hold the grant (already decided when it selected the grant). */
  private AccessDecision checkIdentity(
      ResolvedGrant r,
      Optional<GrantAccessCheck.SelectedGrant<GrantRecord>> selected,
      PresentedIdentity identity,
      Attempt a) {
    AccessDecision allowed =
        selected.isPresent()
            ? selected.get().decision()
            : access.checkPresented(GrantPrincipal.fromStored(r.principal()), identity);
    if (!allowed.allowed()) {
      throw a.denied(allowed, r.grantId());
    }
    a.subject = allowed.subject().orElse(null);
    return allowed;
  }

  private static ResolveResponse answer(
      ResolvedGrant r, CredentialSealer.Sealed sealed, int ttlSeconds) {
    ResolveResponse response = new ResolveResponse();
    response.setGrantId(r.grantId());
    response.setSecretId(r.secret().secretId());
    response.setProvider(r.secret().provider());
    response.setCredentialVersion(r.version().version());
    response.setSealed(sealed.box());
    response.setInjection(sealed.injection());
    response.setDestinations(r.secret().destinations());
    response.setTtlSeconds(ttlSeconds);
    return response;
  }

  /**
   * The secret's cache TTL, cut so the agent's cache entry ends no later than the presented JWT
   * (its {@code exp}): a credential resolved for a token never outlives the token.
   */
  private static int ttlWithin(int ttlSeconds, AccessDecision decision, long now) {
    return decision
        .notAfter()
        .map(
            notAfter ->
                (int) Math.max(0, Math.min(ttlSeconds, (notAfter.toEpochMilli() - now) / 1000)))
        .orElse(ttlSeconds);
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
