package dev.alter.service;

import dev.alter.identity.AgentTokenVerifier;
import dev.alter.identity.GrantAccessCheck;
import dev.alter.identity.IdentityProviders;
import dev.alter.identity.JwksFetchPolicy;
import dev.alter.identity.PresentedIdentityVerifier;
import dev.alter.identity.PrincipalMatcher;
import dev.alter.service.app.AdminKeyBootstrap;
import dev.alter.service.app.AdminKeyService;
import dev.alter.service.app.AgentService;
import dev.alter.service.app.AppService;
import dev.alter.service.app.AuditCsv;
import dev.alter.service.app.AuditExport;
import dev.alter.service.app.AuditOut;
import dev.alter.service.app.AuditQueryService;
import dev.alter.service.app.AuditTrail;
import dev.alter.service.app.GrantService;
import dev.alter.service.app.IdentityProviderService;
import dev.alter.service.app.KeyAuthenticator;
import dev.alter.service.app.MasterKeyService;
import dev.alter.service.app.PolicyRefusalService;
import dev.alter.service.app.Readiness;
import dev.alter.service.app.ReplayGuard;
import dev.alter.service.app.ResolveService;
import dev.alter.service.app.SecretService;
import dev.alter.service.app.UploadRateLimiter;
import dev.alter.service.app.UsageService;
import dev.alter.service.app.UserSecretAllowanceService;
import dev.alter.service.app.UserSecretService;
import dev.alter.service.app.WebhookDispatcher;
import dev.alter.service.app.WebhookService;
import dev.alter.service.catalog.ProviderCatalog;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.crypto.MasterKeyring;
import dev.alter.service.crypto.X25519Acceleration;
import dev.alter.service.http.HttpApi;
import dev.alter.service.live.ChangeLog;
import dev.alter.service.live.LiveControlPlane;
import dev.alter.service.store.AgentRepository;
import dev.alter.service.store.ApiKeyRepository;
import dev.alter.service.store.AppRepository;
import dev.alter.service.store.AuditExportRepository;
import dev.alter.service.store.AuditRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.GrantRepository;
import dev.alter.service.store.IdpRepository;
import dev.alter.service.store.SecretRepository;
import dev.alter.service.store.UsageRepository;
import dev.alter.service.store.UserSecretAllowanceRepository;
import dev.alter.service.store.UserSecretRepository;
import dev.alter.service.store.WebhookRepository;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service together and starts it: {@code ResolverService.start(config)} is the embeddable
 * entry point (tests of other modules use it); {@link Main} is the command line.
 */
public final class ResolverService {
  private static final Logger LOG = LoggerFactory.getLogger(ResolverService.class);

  /** How often a replica looks for webhook receivers with events to deliver. */
  private static final long DISPATCH_INTERVAL_MILLIS = 250;

  private ResolverService() {}

  /**
   * Starts the service and returns once it accepts requests.
   *
   * @throws IllegalArgumentException for a configuration it refuses (the message says why)
   * @throws dev.alter.service.store.StoreUnavailableException when the store cannot be opened
   * @throws dev.alter.service.crypto.MasterKeyMissingException when the store holds credentials
   *     wrapped by a master key that is not configured
   */
  public static RunningService start(ServiceConfig config) {
    long started = System.nanoTime();
    LOG.info("Starting with {}", config);
    refuseInsecureBind(config);
    if (X25519Acceleration.install()) {
      LOG.info("X25519 (HPKE seal) runs on Bouncy Castle's implementation");
    }
    try {
      createPrivateDirectory(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory", e);
    }
    Database db =
        Database.open(config.jdbcUrl(), config.dbUser(), config.dbPassword(), config.dataDir());
    LOG.info(
        "Store open and migrated: {} (at {} ms)",
        db.description(),
        (System.nanoTime() - started) / 1_000_000);
    LiveControlPlane live = null;
    try {
      // the one "now" of the app layer: stored times, expiry checks, signing dates
      Clock clock = config.clock();
      SecretRepository secrets = new SecretRepository();
      // The store is open first: whether a development key may be created depends on its content.
      EnvelopeCipher cipher = new EnvelopeCipher(loadKeyring(config, db, secrets));
      AuditTrail audit = new AuditTrail(new AuditRepository(), db, clock);
      MasterKeyService masterKeys = new MasterKeyService(db, secrets, cipher, audit);
      masterKeys.requireEveryStoredKey();
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(metrics);
      ProviderCatalog catalog = ProviderCatalog.load();
      AppRepository apps = new AppRepository();
      ApiKeyRepository keys = new ApiKeyRepository();
      GrantRepository grants = new GrantRepository();
      IdpRepository idpRows = new IdpRepository();
      AgentRepository agentRows = new AgentRepository();
      live =
          LiveControlPlane.create(
              db,
              config.jdbcUrl(),
              config.dbUser(),
              config.dbPassword(),
              config.changeFeed(),
              replicaName(config),
              clock);
      ChangeLog changes = live.changeLog();
      IdentityProviders identityProviders =
          new IdentityProviders(JwksFetchPolicy.defaults(), clock);
      IdentityProviderService idps =
          new IdentityProviderService(db, idpRows, identityProviders, audit, changes, clock);
      AgentService agents = new AgentService(db, agentRows, audit, changes, clock);
      LOG.info("Identity providers loaded: {}", idps.loadAll());
      PresentedIdentityVerifier identityVerifier =
          new PresentedIdentityVerifier(
              identityProviders, AgentTokenVerifier.stored(agents.tokenLookup()));
      GrantAccessCheck access = new GrantAccessCheck(identityVerifier, new PrincipalMatcher());
      ResolveService resolves =
          new ResolveService(db, grants, cipher, audit, metrics, access, catalog, secrets, clock);
      // one authenticator: the key services tell it when a revocation has committed
      KeyAuthenticator authenticator =
          new KeyAuthenticator(
              db, keys, new ReplayGuard(config.signatureWindowSeconds(), clock), clock);
      UserSecretService userSecrets =
          new UserSecretService(
              db,
              secrets,
              grants,
              new UserSecretAllowanceRepository(),
              new UserSecretRepository(),
              cipher,
              audit,
              changes,
              identityVerifier,
              new UploadRateLimiter(
                  UploadRateLimiter.DEFAULT_PER_USER_PER_MINUTE,
                  UploadRateLimiter.DEFAULT_PER_APP_PER_MINUTE,
                  clock),
              config.defaultTtlSeconds(),
              clock);
      authenticator.followChanges(live.follower()::current);
      live.forwardKeyRevocations(authenticator::keysRevoked);
      live.forwardIdentityProviderChanges(idps::reload);
      live.bindMetrics(metrics);
      AuditExport auditExport = new AuditExport(db, new AuditExportRepository());
      WebhookRepository webhookRows = new WebhookRepository();
      WebhookService webhooks =
          new WebhookService(
              db, webhookRows, new AuditExportRepository(), auditExport, cipher, audit, clock);
      AuditQueryService auditQueries =
          new AuditQueryService(db, new AuditRepository(), apps, secrets, grants);
      WebhookDispatcher dispatcher =
          new WebhookDispatcher(
              db, webhookRows, webhooks, auditExport, config.webhookRetry(), clock);
      UsageService usage =
          new UsageService(
              db,
              new UsageRepository(),
              grants,
              secrets,
              audit,
              metrics,
              clock,
              java.time.Duration.ofDays(config.usageRetentionDays()));
      java.util.concurrent.ScheduledExecutorService retention =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "alter-usage-retention");
                t.setDaemon(true);
                return t;
              });
      HttpApi.Services services =
          new HttpApi.Services(
              new AppService(db, apps, keys, audit, changes, authenticator, clock),
              new SecretService(
                  db,
                  apps,
                  secrets,
                  catalog,
                  cipher,
                  audit,
                  changes,
                  config.defaultTtlSeconds(),
                  clock),
              new GrantService(
                  db, apps, secrets, grants, idpRows, agentRows, audit, changes, clock),
              resolves,
              auditQueries,
              masterKeys,
              new AdminKeyService(db, keys, audit, changes, authenticator, clock),
              authenticator,
              catalog,
              new Readiness(db, masterKeys),
              idps,
              agents,
              new UserSecretAllowanceService(
                  db,
                  apps,
                  idpRows,
                  secrets,
                  new UserSecretAllowanceRepository(),
                  new UserSecretRepository(),
                  userSecrets,
                  catalog,
                  cipher,
                  audit,
                  changes,
                  clock),
              userSecrets,
              live.feed(),
              audit,
              new PolicyRefusalService(db, grants, audit, metrics),
              new AuditOut(auditExport, new AuditCsv(auditQueries), webhooks),
              usage);

      String generatedAdminKey =
          new AdminKeyBootstrap(db, keys, clock).ensureAdminKey(config.adminKeyFile()).orElse(null);
      if (generatedAdminKey != null
          && config.adminKeyFile() == null
          && config.printGeneratedAdminKey()) {
        // Shown once, on the console only (not through the logger), as the issue asks.
        System.out.println("Admin key (shown once, store it now): " + generatedAdminKey);
        System.out.flush();
      }

      Javalin http = HttpApi.create(config, services, metrics);
      live.start();
      http.start();
      dispatcher.start(DISPATCH_INTERVAL_MILLIS);
      retention.scheduleWithFixedDelay(
          () -> {
            try {
              usage.dropExpired();
            } catch (RuntimeException e) {
              LOG.warn("Dropping expired usage aggregates failed: {}", e.toString());
            }
          },
          1,
          60,
          java.util.concurrent.TimeUnit.MINUTES);
      RunningService running =
          new RunningService(
              http,
              db,
              cipher,
              generatedAdminKey,
              config.usesTls(),
              config.bindHost(),
              identityProviders,
              live,
              () -> {
                retention.shutdownNow();
                dispatcher.close();
              });
      if (config.portFile() != null) {
        writePortFile(config.portFile(), running.port());
      }
      LOG.info(
          "Alter resolver service ready on {} ({}), store: {}, started in {} ms",
          running.baseUrl(),
          config.usesTls() ? "TLS" : "plain HTTP",
          db.description(),
          (System.nanoTime() - started) / 1_000_000);
      return running;
    } catch (IOException e) {
      closeQuietly(live);
      db.close();
      throw new UncheckedIOException("cannot write the admin key or port file", e);
    } catch (RuntimeException e) {
      closeQuietly(live);
      db.close();
      throw e;
    }
  }

  private static void closeQuietly(LiveControlPlane live) {
    if (live != null) {
      live.close();
    }
  }

  /** {@code ALTER_REPLICA_ID}, or host name and port (known before binding only when fixed). */
  private static String replicaName(ServiceConfig config) {
    if (config.changeFeed().replicaId() != null) {
      return config.changeFeed().replicaId();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + (config.port() != 0 ? config.port() : ProcessHandle.current().pid());
  }

  private static MasterKeyring loadKeyring(
      ServiceConfig config, Database db, SecretRepository secrets) {
    try {
      return MasterKeyring.load(
          config.masterKey(),
          config.masterKeyFile(),
          config.dataDir(),
          config.masterKeyringDir(),
          () -> db.inTransaction(secrets::versionsPerMasterKey).keySet());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list the master keyring directory or write the development master key", e);
    }
  }

  private static void refuseInsecureBind(ServiceConfig config) {
    if (config.usesTls() || config.allowInsecureBind()) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(config.bindHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve bind address " + config.bindHost());
    }
    if (!loopback) {
      throw new IllegalArgumentException(
          "refusing to bind "
              + config.bindHost()
              + " without TLS: set "
              + "ALTER_TLS_KEYSTORE (PKCS#12) or, to accept plain HTTP there, ALTER_ALLOW_INSECURE_BIND=true");
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Written atomically so a reader never sees a partial number. */
  private static void writePortFile(Path file, int port) throws IOException {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      Files.createDirectories(abs.getParent());
    }
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
