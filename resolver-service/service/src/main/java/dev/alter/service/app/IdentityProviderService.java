package dev.alter.service.app;

import dev.alter.identity.IdentityProviderConfig;
import dev.alter.identity.IdentityProviders;
import dev.alter.identity.InvalidIdentityProviderConfig;
import dev.alter.identity.JwksLocation;
import dev.alter.identity.SigningAlgorithm;
import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.Database;
import dev.alter.service.store.IdpRecord;
import dev.alter.service.store.IdpRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity providers: {@code /v1/idps}. The table is the truth; the one {@link IdentityProviders}
 * the resolver verifies with is filled from it at start-up and updated after each committed change,
 * so a new, changed or deleted IdP applies without a restart. Writes are serialised so the
 * in-memory set always ends in the order the store committed.
 */
public final class IdentityProviderService {
  private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderService.class);
  static final String IDP_ID_PREFIX = "idp_";

  private final Database db;
  private final IdpRepository idps;
  private final IdentityProviders providers;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final Clock clock;

  public IdentityProviderService(
      Database db,
      IdpRepository idps,
      IdentityProviders providers,
      AuditTrail audit,
      ChangeLog changes,
      Clock clock) {
    this.db = db;
    this.changes = changes;
    this.idps = idps;
    this.providers = providers;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Puts every stored IdP into the verifier set; a row that no longer validates is logged and
   * skipped.
   */
  public synchronized int loadAll() {
    List<IdpRecord> all = db.inTransaction(idps::listAll);
    int loaded = 0;
    for (IdpRecord r : all) {
      try {
        providers.put(config(r));
        loaded++;
      } catch (InvalidIdentityProviderConfig e) {
        LOG.error(
            "Stored identity provider {} is unusable ({}); its tokens will not verify",
            r.idpId(),
            e.field());
      }
    }
    return loaded;
  }

  public synchronized Views.Idp create(Caller caller, Requests.CreateIdp r) {
    long now = clock.millis();
    KeySource keys = KeySource.of(r.jwksUrl(), r.jwks(), r.jwksPem(), true);
    IdpRecord record =
        new IdpRecord(
            ApiKeys.newId(IDP_ID_PREFIX),
            r.issuer(),
            keys.url(),
            keys.document(),
            r.audiences() == null ? List.of() : r.audiences(),
            r.algorithms() == null ? List.of() : r.algorithms(),
            r.clockSkewSeconds() == null
                ? (int) IdentityProviderConfig.DEFAULT_CLOCK_SKEW.toSeconds()
                : r.clockSkewSeconds(),
            r.userClaim() == null ? IdentityProviderConfig.DEFAULT_USER_CLAIM : r.userClaim(),
            r.groupClaim() == null ? IdentityProviderConfig.DEFAULT_GROUP_CLAIM : r.groupClaim(),
            now,
            now);
    IdentityProviderConfig config = validated(record, keys);
    IdpRecord stored = normalised(record, config);
    db.inTransaction(
        c -> {
          idps.insert(c, stored);
          changes.idpChanged(c, stored.idpId());
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "idp.create", AuditTrail.OK)
                  .principal("idp:" + stored.idpId()));
          return null;
        });
    providers.put(config);
    return view(stored);
  }

  public Views.Idps list() {
    return new Views.Idps(
        db.inTransaction(idps::listAll).stream().map(IdentityProviderService::view).toList());
  }

  public Views.Idp get(String idpId) {
    return view(find(idpId));
  }

  public synchronized Views.Idp update(Caller caller, String idpId, Requests.UpdateIdp r) {
    if (r.issuer() == null
        && r.jwksUrl() == null
        && r.jwks() == null
        && r.jwksPem() == null
        && r.audiences() == null
        && r.algorithms() == null
        && r.clockSkewSeconds() == null
        && r.userClaim() == null
        && r.groupClaim() == null) {
      throw ApiException.invalid("give at least one field to change");
    }
    IdpRecord current = find(idpId);
    KeySource keys = KeySource.of(r.jwksUrl(), r.jwks(), r.jwksPem(), false);
    if (keys == null) {
      keys = new KeySource(current.jwksUrl(), current.jwksDocument(), null);
    }
    IdpRecord changed =
        new IdpRecord(
            idpId,
            r.issuer() == null ? current.issuer() : r.issuer(),
            keys.url(),
            keys.document(),
            r.audiences() == null ? current.audiences() : r.audiences(),
            r.algorithms() == null ? current.algorithms() : r.algorithms(),
            r.clockSkewSeconds() == null ? current.clockSkewSeconds() : r.clockSkewSeconds(),
            r.userClaim() == null ? current.userClaim() : r.userClaim(),
            r.groupClaim() == null ? current.groupClaim() : r.groupClaim(),
            current.createdAt(),
            clock.millis());
    IdentityProviderConfig config = validated(changed, keys);
    IdpRecord stored = normalised(changed, config);
    db.inTransaction(
        c -> {
          if (idps.find(c, idpId).isEmpty()) {
            throw ApiException.notFound("identity provider", idpId);
          }
          idps.update(c, stored);
          changes.idpChanged(c, idpId);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "idp.update", AuditTrail.OK)
                  .principal("idp:" + idpId));
          return null;
        });
    providers.put(config);
    return view(stored);
  }

  /** Deletes the IdP; its tokens stop verifying at once, so grants naming it no longer resolve. */
  public synchronized void delete(Caller caller, String idpId) {
    db.inTransaction(
        c -> {
          if (!idps.delete(c, idpId)) {
            throw ApiException.notFound("identity provider", idpId);
          }
          changes.idpChanged(c, idpId);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "idp.delete", AuditTrail.OK)
                  .principal("idp:" + idpId));
          return null;
        });
    providers.remove(idpId);
  }

  /**
   * Reads one IdP from the store again (another replica changed or removed it): this replica's
   * verifiers follow the store.
   */
  public synchronized void reload(String idpId) {
    java.util.Optional<IdpRecord> stored = db.inTransaction(c -> idps.find(c, idpId));
    if (stored.isEmpty()) {
      providers.remove(idpId);
      return;
    }
    try {
      providers.put(config(stored.get()));
    } catch (InvalidIdentityProviderConfig e) {
      providers.remove(idpId);
      LOG.error(
          "Stored identity provider {} is unusable ({}); its tokens will not verify",
          idpId,
          e.field());
    }
  }

  private IdpRecord find(String idpId) {
    return db.inTransaction(c -> idps.find(c, idpId))
        .orElseThrow(() -> ApiException.notFound("identity provider", idpId));
  }

  /** The verifier configuration of a stored row. */
  static IdentityProviderConfig config(IdpRecord r) {
    JwksLocation location;
    if (r.jwksUrl() != null) {
      location = JwksLocation.url(r.jwksUrl());
    } else {
      location =
          isPem(r.jwksDocument())
              ? JwksLocation.pem(r.jwksDocument())
              : JwksLocation.jwksJson(r.jwksDocument());
    }
    return IdentityProviderConfig.builder()
        .idpId(r.idpId())
        .issuer(r.issuer())
        .jwks(location)
        .audiences(r.audiences())
        .algorithmNames(r.algorithms())
        .clockSkew(Duration.ofSeconds(r.clockSkewSeconds()))
        .userClaim(r.userClaim())
        .groupClaim(r.groupClaim())
        .build();
  }

  /**
   * Builds the configuration, turning the core's refusals into validation_failed naming the API
   * field.
   */
  private static IdentityProviderConfig validated(IdpRecord r, KeySource keys) {
    if (r.audiences().stream().anyMatch(java.util.Objects::isNull)
        || r.algorithms().stream().anyMatch(java.util.Objects::isNull)) {
      throw ApiException.invalid("audiences and algorithms hold strings only");
    }
    if (r.audiences().size() > 32) {
      throw ApiException.invalid("audiences: at most 32 entries");
    }
    if (r.clockSkewSeconds() < 0
        || r.clockSkewSeconds() > IdentityProviderConfig.MAX_CLOCK_SKEW.toSeconds()) {
      throw ApiException.invalid(
          "clock_skew_seconds must be between 0 and "
              + IdentityProviderConfig.MAX_CLOCK_SKEW.toSeconds());
    }
    try {
      return config(r);
    } catch (InvalidIdentityProviderConfig e) {
      throw ApiException.invalid(apiField(e.field(), keys) + ": " + problemOf(e));
    }
  }

  /** Algorithms in their JOSE spelling, the group claim as parsed. */
  private static IdpRecord normalised(IdpRecord r, IdentityProviderConfig config) {
    List<String> algorithms = config.algorithms().stream().map(SigningAlgorithm::joseName).toList();
    return new IdpRecord(
        r.idpId(),
        r.issuer(),
        r.jwksUrl(),
        r.jwksDocument(),
        List.copyOf(config.audiences()),
        algorithms,
        r.clockSkewSeconds(),
        r.userClaim(),
        r.groupClaim(),
        r.createdAt(),
        r.updatedAt());
  }

  private static String apiField(String coreField, KeySource keys) {
    return switch (coreField) {
      case "clock_skew" -> "clock_skew_seconds";
      case "jwks", "jwks_pem" -> keys == null || keys.field() == null ? coreField : keys.field();
      default -> coreField;
    };
  }

  private static String problemOf(InvalidIdentityProviderConfig e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }

  private static boolean isPem(String document) {
    return document.contains("-----BEGIN");
  }

  static Views.Idp view(IdpRecord r) {
    String document = r.jwksDocument();
    return new Views.Idp(
        r.idpId(),
        r.issuer(),
        r.jwksUrl(),
        document != null && !isPem(document) ? document : null,
        document != null && isPem(document) ? document : null,
        r.audiences(),
        r.algorithms(),
        r.clockSkewSeconds(),
        r.userClaim(),
        r.groupClaim(),
        Times.format(r.createdAt()),
        Times.format(r.updatedAt()));
  }

  /** The key source an operator gave: a URL or a document, and which API field it came in. */
  private record KeySource(String url, String document, String field) {
    /**
     * @return null when none was given and none is required
     */
    static KeySource of(String url, String jwks, String pem, boolean required) {
      int given = (url == null ? 0 : 1) + (jwks == null ? 0 : 1) + (pem == null ? 0 : 1);
      if (given > 1) {
        throw ApiException.invalid("jwks_url, jwks and jwks_pem are alternatives: give one");
      }
      if (given == 0) {
        if (required) {
          throw ApiException.invalid("jwks_url, jwks or jwks_pem is required");
        }
        return null;
      }
      if (url != null) {
        return new KeySource(url.trim(), null, "jwks_url");
      }
      if (jwks != null) {
        if (isPem(jwks)) {
          throw ApiException.invalid("jwks: holds PEM; send PEM as jwks_pem");
        }
        return new KeySource(null, jwks, "jwks");
      }
      if (!isPem(pem)) {
        throw ApiException.invalid("jwks_pem: holds no PEM block (-----BEGIN …)");
      }
      return new KeySource(null, pem, "jwks_pem");
    }
  }
}
