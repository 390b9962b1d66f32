package dev.alter.service.app;

import dev.alter.contract.InjectionSpec;
import dev.alter.service.catalog.Provider;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.store.AppRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.IdpRepository;
import dev.alter.service.store.SecretRecord;
import dev.alter.service.store.SecretRepository;
import dev.alter.service.store.UserSecretAllowanceRecord;
import dev.alter.service.store.UserSecretAllowanceRepository;
import dev.alter.service.store.UserSecretRecord;
import dev.alter.service.store.UserSecretRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operator's side of user-uploaded keys: per app and provider, where users' keys may go and how
 * they are injected (the catalog's, or narrower), whose users may upload, and how many keys each
 * may keep. A change applies to the keys already uploaded in the same transaction: their
 * destinations and injection follow the allowance, and the keys of users of an IdP no longer listed
 * (or of a removed allowance) are deleted.
 */
public final class UserSecretAllowanceService {
  private static final Pattern IDP_ID = Pattern.compile("idp_[A-Za-z0-9_-]{1,64}");

  private final Database db;
  private final AppRepository apps;
  private final IdpRepository idps;
  private final SecretRepository secrets;
  private final UserSecretAllowanceRepository allowances;
  private final UserSecretRepository userSecrets;
  private final UserSecretService uploads;
  private final ProviderCatalog catalog;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final ChangeLog changes;
  private final Clock clock;

  public UserSecretAllowanceService(
      Database db,
      AppRepository apps,
      IdpRepository idps,
      SecretRepository secrets,
      UserSecretAllowanceRepository allowances,
      UserSecretRepository userSecrets,
      UserSecretService uploads,
      ProviderCatalog catalog,
      EnvelopeCipher cipher,
      AuditTrail audit,
      ChangeLog changes,
      Clock clock) {
    this.db = db;
    this.apps = apps;
    this.idps = idps;
    this.secrets = secrets;
    this.allowances = allowances;
    this.userSecrets = userSecrets;
    this.uploads = uploads;
    this.catalog = catalog;
    this.cipher = cipher;
    this.audit = audit;
    this.changes = changes;
    this.clock = clock;
  }

  /** The catalog providers an operator may allow users to upload keys for, in catalog order. */
  public List<Provider> uploadableProviders() {
    return catalog.all().stream().filter(UserSecretAllowanceRules::uploadable).toList();
  }

  /** Creates or replaces the allowance of this app and provider. */
  public Views.UserSecretAllowance put(
      Caller caller, String appId, String providerId, Requests.AllowUserSecrets r) {
    Provider provider =
        catalog
            .find(providerId)
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "the path does not name a provider this service knows; see GET /v1/providers"));
    UserSecretAllowanceRules.requireUploadable(provider);
    List<String> destinations = UserSecretAllowanceRules.destinations(r.destinations(), provider);
    InjectionSpec injection = UserSecretAllowanceRules.injection(r.injection(), provider);
    int maxPerUser = UserSecretAllowanceRules.maxPerUser(r.maxPerUser());
    List<String> idpIds = idpIds(r.idpIds());
    long now = clock.millis();
    List<String> deleted = new ArrayList<>();
    Views.UserSecretAllowance view =
        db.inTransaction(
            c -> {
              if (apps.find(c, appId).isEmpty()) {
                throw ApiException.notFound("app", appId);
              }
              for (String idpId : idpIds) {
                if (idps.find(c, idpId).isEmpty()) {
                  throw ApiException.notFound("identity provider", idpId);
                }
              }
              Optional<UserSecretAllowanceRecord> before = allowances.find(c, appId, provider.id());
              UserSecretAllowanceRecord allowance =
                  new UserSecretAllowanceRecord(
                      appId,
                      provider.id(),
                      injection,
                      destinations,
                      idpIds,
                      maxPerUser,
                      before.map(UserSecretAllowanceRecord::createdAt).orElse(now),
                      now);
              allowances.upsert(c, allowance);
              int updated = 0;
              for (UserSecretRecord u : userSecrets.listByProvider(c, appId, provider.id())) {
                if (!idpIds.contains(u.idpId())) {
                  uploads.delete(
                      c,
                      u,
                      caller.actor(),
                      "user:" + u.idpId() + "/" + u.userId(),
                      "the allowance no longer accepts identity provider " + u.idpId());
                  deleted.add(u.secretId());
                } else if (follow(c, u, allowance, now)) {
                  updated++;
                }
              }
              audit.write(
                  c,
                  AuditTrail.event(
                          caller.actor(),
                          before.isPresent()
                              ? "user_secret_allowance.update"
                              : "user_secret_allowance.create",
                          AuditTrail.OK)
                      .app(appId)
                      .reason(
                          "provider "
                              + provider.id()
                              + ", idps "
                              + String.join(" ", idpIds)
                              + ", max_per_user "
                              + maxPerUser
                              + (updated > 0 ? ", user keys updated " + updated : "")
                              + (deleted.isEmpty()
                                  ? ""
                                  : ", user keys deleted " + deleted.size())));
              return view(c, allowance);
            });
    deleted.forEach(cipher::forget);
    return view;
  }

  /** Puts the allowance's destinations and injection on an uploaded key; true if they changed. */
  private boolean follow(
      Connection c, UserSecretRecord u, UserSecretAllowanceRecord allowance, long now)
      throws SQLException {
    Optional<SecretRecord> secret = secrets.findLiveForUpdate(c, u.secretId());
    if (secret.isEmpty()) {
      return false;
    }
    SecretRecord s = secret.get();
    boolean same =
        s.destinations().equals(allowance.destinations())
            && JsonEquality.same(s.injection(), allowance.injection());
    if (same) {
      return false;
    }
    secrets.updateSettings(
        c,
        s.secretId(),
        s.label(),
        allowance.destinations(),
        false,
        s.ttlSeconds(),
        allowance.injection(),
        now);
    changes.secretUpdated(c, s.appId(), s.secretId());
    return true;
  }

  public Views.UserSecretAllowances list(String appId) {
    return new Views.UserSecretAllowances(
        db.inTransaction(
            c -> {
              if (apps.find(c, appId).isEmpty()) {
                throw ApiException.notFound("app", appId);
              }
              List<Views.UserSecretAllowance> out = new ArrayList<>();
              for (UserSecretAllowanceRecord a : allowances.listByApp(c, appId)) {
                out.add(view(c, a));
              }
              return out;
            }));
  }

  public Views.UserSecretAllowance get(String appId, String provider) {
    return db.inTransaction(
        c -> {
          Optional<UserSecretAllowanceRecord> found = allowances.find(c, appId, provider);
          if (found.isEmpty()) {
            throw noAllowance(c, appId);
          }
          return view(c, found.get());
        });
  }

  /** Removes the allowance; the keys users uploaded under it are deleted with it. */
  public void delete(Caller caller, String appId, String provider) {
    List<String> deleted = new ArrayList<>();
    db.inTransaction(
        c -> {
          if (allowances.find(c, appId, provider).isEmpty()) {
            throw noAllowance(c, appId);
          }
          for (UserSecretRecord u : userSecrets.listByProvider(c, appId, provider)) {
            uploads.delete(
                c,
                u,
                caller.actor(),
                "user:" + u.idpId() + "/" + u.userId(),
                "the operator removed the allowance");
            deleted.add(u.secretId());
          }
          allowances.delete(c, appId, provider);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "user_secret_allowance.delete", AuditTrail.OK)
                  .app(appId)
                  .reason("provider " + provider + ", user keys deleted " + deleted.size()));
          return null;
        });
    deleted.forEach(cipher::forget);
  }

  private ApiException noAllowance(Connection c, String appId) throws SQLException {
    if (apps.find(c, appId).isEmpty()) {
      return ApiException.notFound("app", appId);
    }
    return ApiException.notFound("this app has no user-secret allowance for that provider");
  }

  private Views.UserSecretAllowance view(Connection c, UserSecretAllowanceRecord a)
      throws SQLException {
    return new Views.UserSecretAllowance(
        a.appId(),
        a.provider(),
        a.injection(),
        a.destinations(),
        a.idpIds(),
        a.maxPerUser(),
        userSecrets.countByProvider(c, a.appId(), a.provider()),
        Times.format(a.createdAt()),
        Times.format(a.updatedAt()));
  }

  private static List<String> idpIds(List<String> given) {
    if (given == null || given.isEmpty() || given.size() > UserSecretAllowanceRules.MAX_IDPS) {
      throw ApiException.invalid(
          "idp_ids must list 1 to "
              + UserSecretAllowanceRules.MAX_IDPS
              + " identity providers whose users may upload");
    }
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      String id = given.get(i);
      if (id == null || !IDP_ID.matcher(id).matches()) {
        throw ApiException.invalid("idp_ids[" + i + "] must look like idp_…");
      }
      ids.add(id);
    }
    return List.copyOf(ids);
  }

  /** Injection specs compared by their JSON form (the class has no equals). */
  private static final class JsonEquality {
    static boolean same(InjectionSpec a, InjectionSpec b) {
      try {
        return dev.alter.service.JsonCodec.mapper()
            .writeValueAsString(a)
            .equals(dev.alter.service.JsonCodec.mapper().writeValueAsString(b));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        return false;
      }
    }
  }
}
