package dev.alter.identity;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registered identity providers, each with its verifier (and so its JWKS cache). The service
 * keeps one instance, loads every IdP from its table at start-up and calls {@link #put} / {@link
 * #remove} when the admin API changes one, so changes apply without a restart.
 *
 * <p>A token is routed to an IdP by its {@code iss}; the routing read is untrusted and only picks
 * whose keys to check it with.
 */
public final class IdentityProviders implements AutoCloseable {
  private final Function<IdentityProviderConfig, TokenVerifier> verifierFactory;
  private final Map<String, TokenVerifier> byId = new ConcurrentHashMap<>();

  /** Verifiers fetch remote JWKS with {@code policy}; {@code clock} drives expiry and caching. */
  public IdentityProviders(JwksFetchPolicy policy, Clock clock) {
    this(config -> TokenVerifier.create(config, policy, clock));
  }

  public IdentityProviders(Function<IdentityProviderConfig, TokenVerifier> verifierFactory) {
    this.verifierFactory = verifierFactory;
  }

  /**
   * Adds or replaces an IdP; a replaced IdP's key cache is dropped. The same configuration again (a
   * replica re-reading a change it made itself) keeps the verifier in use: closing it would fail a
   * token being verified with it at that moment.
   */
  public synchronized void put(IdentityProviderConfig config) {
    TokenVerifier current = byId.get(config.idpId());
    if (current != null && current.config().equals(config)) {
      return;
    }
    TokenVerifier previous = byId.put(config.idpId(), verifierFactory.apply(config));
    if (previous != null) {
      previous.close();
    }
  }

  /** Forgets an IdP; its tokens stop verifying at once. */
  public synchronized void remove(String idpId) {
    TokenVerifier previous = byId.remove(idpId);
    if (previous != null) {
      previous.close();
    }
  }

  public Optional<IdentityProviderConfig> get(String idpId) {
    return Optional.ofNullable(byId.get(idpId)).map(TokenVerifier::config);
  }

  /** Verifies with one IdP, e.g. the one a grant names. */
  public VerifiedIdentity verifyWith(String idpId, String token) throws IdentityRejected {
    TokenVerifier verifier = byId.get(idpId);
    if (verifier == null) {
      throw IdentityRejected.of(
          RejectionReason.ISSUER_MISMATCH, idpId, "no such identity provider is registered");
    }
    return verifier.verify(token);
  }

  /**
   * Verifies with the IdP whose issuer the token names. Several IdPs may share an issuer (one per
   * audience, say): the first, by id, that accepts the token wins; when none does, the first
   * rejection is thrown.
   */
  public VerifiedIdentity verify(String token) throws IdentityRejected {
    String issuer = unverifiedIssuer(token);
    List<TokenVerifier> candidates = new ArrayList<>();
    for (TokenVerifier v : byId.values()) {
      if (v.config().issuer().equals(issuer)) {
        candidates.add(v);
      }
    }
    if (candidates.isEmpty()) {
      throw IdentityRejected.of(
          RejectionReason.ISSUER_MISMATCH, null, "iss names no registered identity provider");
    }
    candidates.sort(Comparator.comparing(v -> v.config().idpId()));
    IdentityRejected first = null;
    for (TokenVerifier v : candidates) {
      try {
        return v.verify(token);
      } catch (IdentityRejected e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }

  @Override
  public void close() {
    byId.values().forEach(TokenVerifier::close);
    byId.clear();
  }

  private static String unverifiedIssuer(String token) throws IdentityRejected {
    if (token == null || token.isEmpty() || token.length() > TokenVerifier.MAX_TOKEN_CHARS) {
      throw IdentityRejected.of(RejectionReason.MALFORMED, null, "token is empty or too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw IdentityRejected.of(
          RejectionReason.MALFORMED, null, "not a compact JWS (three dot-separated parts)");
    }
    Object issuer;
    try {
      issuer = JSONObjectUtils.parse(new Base64URL(parts[1]).decodeToString()).get("iss");
    } catch (java.text.ParseException | RuntimeException e) {
      throw IdentityRejected.of(
          RejectionReason.MALFORMED, null, "the payload is not a JSON claims set");
    }
    if (!(issuer instanceof String name)) {
      throw IdentityRejected.of(RejectionReason.ISSUER_MISMATCH, null, "the token has no iss");
    }
    return name;
  }
}
