package dev.alter.service;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the service needs to start. Built from the environment and command-line flags by
 * {@link #fromEnvironment}, or with {@link #builder()} by tests and embedders.
 *
 * <p>{@link #toString()} never shows the master key or the database password.
 */
public final class ServiceConfig {
  public static final int DEFAULT_PORT = 8470;
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_TTL_SECONDS = 60;
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** How far a signed request's timestamp may be from the service's clock, either way. */
  public static final int DEFAULT_SIGNATURE_WINDOW_SECONDS = 60;

  private final Path dataDir;
  private final String jdbcUrl;
  private final String dbUser;
  private final String dbPassword;
  private final String bindHost;
  private final int port;
  private final Path portFile;
  private final Path tlsKeystore;
  private final String tlsKeystorePassword;
  private final boolean allowInsecureBind;
  private final String masterKey;
  private final Path masterKeyFile;
  private final Path masterKeyringDir;
  private final Path adminKeyFile;
  private final int defaultTtlSeconds;
  private final long maxBodyBytes;
  private final int signatureWindowSeconds;
  private final java.util.List<String> trustedProxies;
  private final boolean printGeneratedAdminKey;
  private final Clock clock;
  private final ChangeFeedConfig changeFeed;
  private final int portalIdleSeconds;
  private final int portalSessionSeconds;
  private final dev.alter.service.app.WebhookDispatcher.RetryPolicy webhookRetry;
  private final int usageRetentionDays;

  private ServiceConfig(Builder b) {
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.jdbcUrl = b.jdbcUrl;
    this.dbUser = b.dbUser;
    this.dbPassword = b.dbPassword;
    this.bindHost = b.bindHost;
    this.port = b.port;
    this.portFile = b.portFile;
    this.tlsKeystore = b.tlsKeystore;
    this.tlsKeystorePassword = b.tlsKeystorePassword;
    this.allowInsecureBind = b.allowInsecureBind;
    this.masterKey = b.masterKey;
    this.masterKeyFile = b.masterKeyFile;
    this.masterKeyringDir =
        b.masterKeyringDir != null ? b.masterKeyringDir : this.dataDir.resolve("master-keys");
    this.adminKeyFile = b.adminKeyFile;
    this.defaultTtlSeconds = b.defaultTtlSeconds;
    this.maxBodyBytes = b.maxBodyBytes;
    this.signatureWindowSeconds = b.signatureWindowSeconds;
    this.trustedProxies = java.util.List.copyOf(b.trustedProxies);
    this.printGeneratedAdminKey = b.printGeneratedAdminKey;
    this.clock = b.clock;
    this.changeFeed = b.changeFeed;
    this.portalIdleSeconds = b.portalIdleSeconds;
    this.portalSessionSeconds = b.portalSessionSeconds;
    this.webhookRetry =
        new dev.alter.service.app.WebhookDispatcher.RetryPolicy(
            b.webhookBackoffMillis,
            b.webhookMaxBackoffSeconds * 1000L,
            b.webhookRetrySeconds * 1000L);
    this.usageRetentionDays = b.usageRetentionDays;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code ALTER_*} environment variables, then lets {@code --flag=value} (or {@code --flag
   * value}) arguments override them. Flags are the variable names in lower case with dashes: {@code
   * ALTER_DATA_DIR} is {@code --data-dir}.
   *
   * @throws IllegalArgumentException naming the bad setting (never its value)
   */
  public static ServiceConfig fromEnvironment(Map<String, String> env, String[] args) {
    Map<String, String> settings = new java.util.HashMap<>();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("ALTER_") && v != null && !v.isEmpty()) {
            settings.put(k, v);
          } else if (MASTER_KEY_SETTINGS.contains(k)) {
            throw emptyMasterKeySetting(k);
          }
        });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("flag --" + name + " needs a value");
      }
      String key = "ALTER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!KNOWN_SETTINGS.contains(key)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      if (value.isBlank() && MASTER_KEY_SETTINGS.contains(key)) {
        throw emptyMasterKeySetting(key);
      }
      settings.put(key, value);
    }
    Builder b = builder();
    if (settings.containsKey("ALTER_DATA_DIR")) b.dataDir(Path.of(settings.get("ALTER_DATA_DIR")));
    b.jdbcUrl(settings.get("ALTER_DB_URL"));
    b.dbUser(settings.get("ALTER_DB_USER"));
    b.dbPassword(settings.get("ALTER_DB_PASSWORD"));
    if (settings.containsKey("ALTER_BIND")) b.bindHost(settings.get("ALTER_BIND"));
    if (settings.containsKey("ALTER_PORT"))
      b.port(parseInt("ALTER_PORT", settings.get("ALTER_PORT"), 0, 65535));
    if (settings.containsKey("ALTER_PORT_FILE"))
      b.portFile(Path.of(settings.get("ALTER_PORT_FILE")));
    if (settings.containsKey("ALTER_TLS_KEYSTORE"))
      b.tlsKeystore(Path.of(settings.get("ALTER_TLS_KEYSTORE")));
    b.tlsKeystorePassword(settings.get("ALTER_TLS_KEYSTORE_PASSWORD"));
    b.allowInsecureBind("true".equalsIgnoreCase(settings.get("ALTER_ALLOW_INSECURE_BIND")));
    b.masterKey(settings.get("ALTER_MASTER_KEY"));
    if (settings.containsKey("ALTER_MASTER_KEY_FILE"))
      b.masterKeyFile(Path.of(settings.get("ALTER_MASTER_KEY_FILE")));
    if (settings.containsKey("ALTER_MASTER_KEYRING_DIR"))
      b.masterKeyringDir(Path.of(settings.get("ALTER_MASTER_KEYRING_DIR")));
    if (settings.containsKey("ALTER_ADMIN_KEY_FILE"))
      b.adminKeyFile(Path.of(settings.get("ALTER_ADMIN_KEY_FILE")));
    if (settings.containsKey("ALTER_DEFAULT_TTL_SECONDS")) {
      b.defaultTtlSeconds(
          parseInt(
              "ALTER_DEFAULT_TTL_SECONDS", settings.get("ALTER_DEFAULT_TTL_SECONDS"), 5, 3600));
    }
    if (settings.containsKey("ALTER_MAX_BODY_BYTES")) {
      b.maxBodyBytes(
          parseInt(
              "ALTER_MAX_BODY_BYTES",
              settings.get("ALTER_MAX_BODY_BYTES"),
              1024,
              16 * 1024 * 1024));
    }
    if (settings.containsKey("ALTER_SIGNATURE_WINDOW_SECONDS")) {
      b.signatureWindowSeconds(
          parseInt(
              "ALTER_SIGNATURE_WINDOW_SECONDS",
              settings.get("ALTER_SIGNATURE_WINDOW_SECONDS"),
              5,
              600));
    }
    b.changeFeed(ChangeFeedConfig.fromSettings(settings));
    if (settings.containsKey("ALTER_PORTAL_IDLE_SECONDS")) {
      b.portalIdleSeconds(
          parseInt(
              "ALTER_PORTAL_IDLE_SECONDS", settings.get("ALTER_PORTAL_IDLE_SECONDS"), 1, 86400));
    }
    if (settings.containsKey("ALTER_PORTAL_SESSION_SECONDS")) {
      b.portalSessionSeconds(
          parseInt(
              "ALTER_PORTAL_SESSION_SECONDS",
              settings.get("ALTER_PORTAL_SESSION_SECONDS"),
              1,
              7 * 86400));
    }
    if (settings.containsKey("ALTER_TRUSTED_PROXIES")) {
      java.util.List<String> proxies = new java.util.ArrayList<>();
      for (String p : settings.get("ALTER_TRUSTED_PROXIES").split(",")) {
        if (!p.isBlank()) {
          try {
            dev.alter.service.policy.Cidr.parse(p);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ALTER_TRUSTED_PROXIES: an entry " + e.getMessage());
          }
          proxies.add(p.trim());
        }
      }
      b.trustedProxies(proxies);
    }
    if (settings.containsKey("ALTER_WEBHOOK_RETRY_SECONDS")) {
      b.webhookRetrySeconds(
          parseInt(
              "ALTER_WEBHOOK_RETRY_SECONDS",
              settings.get("ALTER_WEBHOOK_RETRY_SECONDS"),
              1,
              30 * 86400));
    }
    if (settings.containsKey("ALTER_WEBHOOK_BACKOFF_MILLIS")) {
      b.webhookBackoffMillis(
          parseInt(
              "ALTER_WEBHOOK_BACKOFF_MILLIS",
              settings.get("ALTER_WEBHOOK_BACKOFF_MILLIS"),
              10,
              60_000));
    }
    if (settings.containsKey("ALTER_WEBHOOK_MAX_BACKOFF_SECONDS")) {
      b.webhookMaxBackoffSeconds(
          parseInt(
              "ALTER_WEBHOOK_MAX_BACKOFF_SECONDS",
              settings.get("ALTER_WEBHOOK_MAX_BACKOFF_SECONDS"),
              1,
              86400));
    }
    if (settings.containsKey("ALTER_USAGE_RETENTION_DAYS")) {
      b.usageRetentionDays(
          parseInt(
              "ALTER_USAGE_RETENTION_DAYS", settings.get("ALTER_USAGE_RETENTION_DAYS"), 1, 3660));
    }
    b.printGeneratedAdminKey(true);
    return b.build();
  }

  private static final java.util.Set<String> KNOWN_SETTINGS =
      java.util.Set.of(
          "ALTER_DATA_DIR",
          "ALTER_DB_URL",
          "ALTER_DB_USER",
          "ALTER_DB_PASSWORD",
          "ALTER_BIND",
          "ALTER_PORT",
          "ALTER_PORT_FILE",
          "ALTER_TLS_KEYSTORE",
          "ALTER_TLS_KEYSTORE_PASSWORD",
          "ALTER_ALLOW_INSECURE_BIND",
          "ALTER_MASTER_KEY",
          "ALTER_MASTER_KEY_FILE",
          "ALTER_MASTER_KEYRING_DIR",
          "ALTER_ADMIN_KEY_FILE",
          "ALTER_DEFAULT_TTL_SECONDS",
          "ALTER_MAX_BODY_BYTES",
          "ALTER_SIGNATURE_WINDOW_SECONDS",
          "ALTER_REPLICA_ID",
          "ALTER_CHANGE_RETENTION_SECONDS",
          "ALTER_CHANGE_HEARTBEAT_SECONDS",
          "ALTER_PORTAL_IDLE_SECONDS",
          "ALTER_PORTAL_SESSION_SECONDS",
          "ALTER_TRUSTED_PROXIES",
          "ALTER_WEBHOOK_RETRY_SECONDS",
          "ALTER_WEBHOOK_BACKOFF_MILLIS",
          "ALTER_WEBHOOK_MAX_BACKOFF_SECONDS",
          "ALTER_USAGE_RETENTION_DAYS");

  /**
   * Set but empty is a mistake (a template variable that was never filled in), not "unset": unset
   * would make a new development key and split the store across keys.
   */
  private static final java.util.Set<String> MASTER_KEY_SETTINGS =
      java.util.Set.of("ALTER_MASTER_KEY", "ALTER_MASTER_KEY_FILE", "ALTER_MASTER_KEYRING_DIR");

  private static IllegalArgumentException emptyMasterKeySetting(String name) {
    return new IllegalArgumentException(name + " is set but empty: give it a value, or unset it");
  }

  static int parseInt(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The JDBC URL, or null for the embedded H2 file database under {@link #dataDir()}. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String dbUser() {
    return dbUser;
  }

  public String dbPassword() {
    return dbPassword;
  }

  public String bindHost() {
    return bindHost;
  }

  public int port() {
    return port;
  }

  public Path portFile() {
    return portFile;
  }

  public Path tlsKeystore() {
    return tlsKeystore;
  }

  public String tlsKeystorePassword() {
    return tlsKeystorePassword;
  }

  public boolean allowInsecureBind() {
    return allowInsecureBind;
  }

  /** Base64 master key given directly ({@code ALTER_MASTER_KEY}), or null. */
  public String masterKey() {
    return masterKey;
  }

  public Path masterKeyFile() {
    return masterKeyFile;
  }

  /** Directory of retired master keys ({@code *.key}) still needed to decrypt until a rewrap. */
  public Path masterKeyringDir() {
    return masterKeyringDir;
  }

  public Path adminKeyFile() {
    return adminKeyFile;
  }

  public int defaultTtlSeconds() {
    return defaultTtlSeconds;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Seconds a signed request's timestamp may differ from this service's clock ({@code
   * ALTER_SIGNATURE_WINDOW_SECONDS}).
   */
  /** The change feed: replica name, change log retention, heartbeat interval. */
  public ChangeFeedConfig changeFeed() {
    return changeFeed;
  }

  /** How webhook deliveries back off, and for how long they are retried. */
  public dev.alter.service.app.WebhookDispatcher.RetryPolicy webhookRetry() {
    return webhookRetry;
  }

  /** How long per-minute usage aggregates are kept. */
  public int usageRetentionDays() {
    return usageRetentionDays;
  }

  public int signatureWindowSeconds() {
    return signatureWindowSeconds;
  }

  /**
   * Networks of reverse proxies whose {@code X-Forwarded-For} names the client ({@code
   * ALTER_TRUSTED_PROXIES}, comma-separated CIDRs); empty: the connection's address is the client.
   */
  public java.util.List<String> trustedProxies() {
    return trustedProxies;
  }

  /** Whether a generated admin key (with no admin key file configured) goes to stdout. */
  public boolean printGeneratedAdminKey() {
    return printGeneratedAdminKey;
  }

  /**
   * The clock the service reads "now" from: stored times, expiry, signing dates (system UTC unless
   * a test or embedder set one).
   */
  public Clock clock() {
    return clock;
  }

  /**
   * A portal session ends after this long without a request ({@code ALTER_PORTAL_IDLE_SECONDS}).
   */
  public java.time.Duration portalIdleTimeout() {
    return java.time.Duration.ofSeconds(portalIdleSeconds);
  }

  /** A portal session ends this long after sign-in ({@code ALTER_PORTAL_SESSION_SECONDS}). */
  public java.time.Duration portalSessionLifetime() {
    return java.time.Duration.ofSeconds(portalSessionSeconds);
  }

  public boolean usesTls() {
    return tlsKeystore != null;
  }

  @Override
  public String toString() {
    return "ServiceConfig{dataDir="
        + dataDir
        + ", store="
        + (jdbcUrl == null ? "embedded H2" : redactUrl(jdbcUrl))
        + ", bind="
        + bindHost
        + ":"
        + port
        + ", tls="
        + (usesTls() ? tlsKeystore : "off")
        + ", masterKey="
        + (masterKey != null
            ? "ALTER_MASTER_KEY"
            : masterKeyFile != null ? masterKeyFile : "data dir")
        + ", keyring="
        + masterKeyringDir
        + ", adminKeyFile="
        + adminKeyFile
        + ", defaultTtlSeconds="
        + defaultTtlSeconds
        + "}";
  }

  /** JDBC URLs may carry a password parameter; keep only scheme, host and path. */
  private static String redactUrl(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }

  public static final class Builder {
    private Path dataDir = Path.of("alter-data");
    private String jdbcUrl;
    private String dbUser;
    private String dbPassword;
    private String bindHost = DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private Path portFile;
    private Path tlsKeystore;
    private String tlsKeystorePassword;
    private boolean allowInsecureBind;
    private String masterKey;
    private Path masterKeyFile;
    private Path masterKeyringDir;
    private Path adminKeyFile;
    private int defaultTtlSeconds = DEFAULT_TTL_SECONDS;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int signatureWindowSeconds = DEFAULT_SIGNATURE_WINDOW_SECONDS;
    private java.util.List<String> trustedProxies = java.util.List.of();
    private boolean printGeneratedAdminKey;
    private Clock clock = Clock.systemUTC();
    private ChangeFeedConfig changeFeed = ChangeFeedConfig.defaults();

    private int portalIdleSeconds = 15 * 60;
    private int portalSessionSeconds = 8 * 3600;

    private Builder() {}

    public Builder changeFeed(ChangeFeedConfig changeFeed) {
      this.changeFeed = Objects.requireNonNull(changeFeed);
      return this;
    }

    public Builder portalIdleSeconds(int seconds) {
      this.portalIdleSeconds = seconds;
      return this;
    }

    public Builder portalSessionSeconds(int seconds) {
      this.portalSessionSeconds = seconds;
      return this;
    }

    private int webhookRetrySeconds = 86400;
    private int webhookBackoffMillis = 1000;
    private int webhookMaxBackoffSeconds = 300;
    private int usageRetentionDays = 35;

    public Builder webhookRetrySeconds(int seconds) {
      this.webhookRetrySeconds = seconds;
      return this;
    }

    public Builder webhookBackoffMillis(int millis) {
      this.webhookBackoffMillis = millis;
      return this;
    }

    public Builder webhookMaxBackoffSeconds(int seconds) {
      this.webhookMaxBackoffSeconds = seconds;
      return this;
    }

    public Builder usageRetentionDays(int days) {
      this.usageRetentionDays = days;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir);
      return this;
    }

    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder dbUser(String dbUser) {
      this.dbUser = dbUser;
      return this;
    }

    public Builder dbPassword(String dbPassword) {
      this.dbPassword = dbPassword;
      return this;
    }

    public Builder bindHost(String bindHost) {
      this.bindHost = Objects.requireNonNull(bindHost);
      return this;
    }

    /** 0 picks an ephemeral port; read it back from the handle or {@link #portFile}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder portFile(Path portFile) {
      this.portFile = portFile;
      return this;
    }

    public Builder tlsKeystore(Path tlsKeystore) {
      this.tlsKeystore = tlsKeystore;
      return this;
    }

    public Builder tlsKeystorePassword(String password) {
      this.tlsKeystorePassword = password;
      return this;
    }

    public Builder allowInsecureBind(boolean allow) {
      this.allowInsecureBind = allow;
      return this;
    }

    /** Base64 of 32 random bytes. */
    public Builder masterKey(String masterKeyBase64) {
      this.masterKey = masterKeyBase64;
      return this;
    }

    public Builder masterKeyFile(Path masterKeyFile) {
      this.masterKeyFile = masterKeyFile;
      return this;
    }

    public Builder masterKeyringDir(Path dir) {
      this.masterKeyringDir = dir;
      return this;
    }

    public Builder adminKeyFile(Path adminKeyFile) {
      this.adminKeyFile = adminKeyFile;
      return this;
    }

    public Builder defaultTtlSeconds(int seconds) {
      this.defaultTtlSeconds = seconds;
      return this;
    }

    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder signatureWindowSeconds(int seconds) {
      this.signatureWindowSeconds = seconds;
      return this;
    }

    /** CIDRs of proxies trusted to name the client in {@code X-Forwarded-For}. */
    public Builder trustedProxies(java.util.List<String> cidrs) {
      this.trustedProxies = java.util.List.copyOf(cidrs);
      return this;
    }

    public Builder printGeneratedAdminKey(boolean print) {
      this.printGeneratedAdminKey = print;
      return this;
    }

    /**
     * "Now" for resolves (grant expiry, identity tokens, AWS signing dates and TTLs); tests inject
     * one to cross midnight.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public ServiceConfig build() {
      if (defaultTtlSeconds < 5 || defaultTtlSeconds > 3600) {
        throw new IllegalArgumentException("default TTL must be 5..3600 seconds");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535");
      }
      return new ServiceConfig(this);
    }
  }
}
