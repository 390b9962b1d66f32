package dev.alter.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * The agent's effective configuration. Each setting is taken from the first source that defines it:
 * agent arguments ({@code -javaagent:alter-agent.jar=resolver=…,api_key_file=…}), then system
 * properties ({@code -Dalter.resolver.url=…}), then the environment ({@code ALTER_RESOLVER_URL}).
 *
 * <p>Invalid values never stop the application: they are reported in {@link #problems()} and the
 * setting falls back to its default (or to "missing", which makes tagged requests fail clearly).
 */
public final class AgentConfig {
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(15);
  public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofSeconds(2);

  /** How long the service's refusal of a grant is answered from memory (0 turns it off). */
  public static final Duration DEFAULT_DENIAL_CACHE_TTL = Duration.ofSeconds(5);

  /**
   * Longest refusal caching allowed: a revoked grant must not stay refused from memory for long.
   */
  static final Duration MAX_DENIAL_CACHE_TTL = Duration.ofMinutes(5);

  /** How often the requests grant policies refused are reported to the service, aggregated. */
  public static final Duration DEFAULT_POLICY_REPORT_INTERVAL = Duration.ofSeconds(60);

  /**
   * How often usage counts (injected, refused, provider responses) are reported; at most 10 s, so
   * the service's per-minute view and the provider-rejection flag follow closely.
   */
  public static final Duration DEFAULT_USAGE_REPORT_INTERVAL = Duration.ofSeconds(10);

  static final Duration MAX_USAGE_REPORT_INTERVAL = Duration.ofSeconds(10);

  /**
   * How long after the first HTTP client class loads the resolver client is prepared in the
   * background: long enough that its key pair, TLS handshake and change subscription stay out of
   * the application's own start-up burst. A tagged request before then prepares it on the spot.
   */
  public static final Duration DEFAULT_WARM_UP_DELAY = Duration.ofSeconds(2);

  /**
   * Largest request body the agent reads to hash for an AWS signature (larger: s3 unsigned, else
   * refused).
   */
  public static final long DEFAULT_MAX_SIGNED_BODY_BYTES = 8L * 1024 * 1024;

  /** One setting and where it may come from. */
  enum Setting {
    RESOLVER_URL("resolver", "alter.resolver.url", "ALTER_RESOLVER_URL"),
    API_KEY(null, "alter.api.key", "ALTER_API_KEY"),
    API_KEY_FILE("api_key_file", "alter.api.key.file", "ALTER_API_KEY_FILE"),
    /**
     * The managed agent token this JVM runs as (agent grants); like the app key, never an argument.
     */
    AGENT_TOKEN(null, "alter.agent.token", "ALTER_AGENT_TOKEN"),
    AGENT_TOKEN_FILE("agent_token_file", "alter.agent.token.file", "ALTER_AGENT_TOKEN_FILE"),
    CA_FILE("ca_file", "alter.ca.file", "ALTER_CA_FILE"),
    MAX_STALENESS("max_staleness", "alter.cache.max.staleness", "ALTER_MAX_STALENESS"),
    RESOLVE_TIMEOUT("resolve_timeout", "alter.resolve.timeout", "ALTER_RESOLVE_TIMEOUT"),
    DENIAL_CACHE_TTL("denial_cache_ttl", "alter.cache.denial.ttl", "ALTER_DENIAL_CACHE_TTL"),
    LOG_LEVEL("log_level", "alter.log.level", "ALTER_LOG_LEVEL"),
    POLICY_REPORT_INTERVAL(
        "policy_report_interval", "alter.policy.report.interval", "ALTER_POLICY_REPORT_INTERVAL"),
    USAGE_REPORT_INTERVAL(
        "usage_report_interval", "alter.usage.report.interval", "ALTER_USAGE_REPORT_INTERVAL"),
    AWS_MAX_SIGNED_BODY_BYTES(
        "aws_max_signed_body_bytes",
        "alter.aws.max.signed.body.bytes",
        "ALTER_AWS_MAX_SIGNED_BODY_BYTES"),
    /** Acted on by the launcher (it must work when this class cannot load); validated here. */
    ON_START_FAILURE("on_start_failure", "alter.on.start.failure", "ALTER_ON_START_FAILURE"),
    WARM_UP_DELAY("warm_up_delay", "alter.warm.up.delay", "ALTER_WARM_UP_DELAY"),
    /** Directory of the woven-class cache, or {@code off}. */
    WEAVE_CACHE("weave_cache", "alter.weave.cache", "ALTER_WEAVE_CACHE");

    /** Agent argument name; null when the setting may not be an argument (keys show in ps). */
    final String argument;

    final String property;
    final String env;

    Setting(String argument, String property, String env) {
      this.argument = argument;
      this.property = property;
      this.env = env;
    }
  }

  /** A value and the human-readable name of where it came from. */
  static final class Sourced {
    final String value;
    final String source;
    final int rank;

    Sourced(String value, String source, int rank) {
      this.value = value;
      this.source = source;
      this.rank = rank;
    }
  }

  /**
   * A key given directly or in a file, and where it came from (the source never holds the value).
   */
  private static final class Secret {
    final String value;
    final String source;

    Secret(String value, String source) {
      this.value = value;
      this.source = source;
    }

    /**
     * The direct setting wins unless the file setting comes from a more specific place (agent
     * argument over system property over environment); a file that cannot be read is a problem.
     */
    static Secret of(Sourced direct, Sourced file, String label, List<String> problems) {
      if (direct != null && (file == null || direct.rank <= file.rank)) {
        return new Secret(direct.value.trim(), direct.source);
      }
      if (file == null) {
        return new Secret(null, null);
      }
      String source = file.source + " (" + file.value + ")";
      try {
        String value =
            new String(Files.readAllBytes(Paths.get(file.value)), StandardCharsets.UTF_8);
        return new Secret(value.trim(), source);
      } catch (IOException | RuntimeException e) {
        problems.add(
            "cannot read "
                + label
                + " file "
                + file.value
                + " from "
                + file.source
                + ": "
                + e.getClass().getSimpleName());
        return new Secret(null, source);
      }
    }
  }

  private final List<URI> resolverUrls;
  private final String apiKey;
  private final String apiKeySource;
  private final Path caFile;
  private final Duration maxStaleness;
  private final Duration resolveTimeout;
  private final Duration denialCacheTtl;
  private final Duration policyReportInterval;
  private final Duration usageReportInterval;
  private final Duration warmUpDelay;
  private final Level logLevel;
  private final List<String> problems;
  private final long maxSignedBodyBytes;
  private final String agentToken;
  private final String agentTokenSource;
  private final Path weaveCache;

  private AgentConfig(
      List<URI> resolverUrls,
      Secret apiKey,
      Path caFile,
      Duration maxStaleness,
      Duration resolveTimeout,
      Duration denialCacheTtl,
      Duration policyReportInterval,
      Duration usageReportInterval,
      Duration warmUpDelay,
      Level logLevel,
      Secret agentToken,
      long maxSignedBodyBytes,
      Path weaveCache,
      List<String> problems) {
    this.resolverUrls = resolverUrls;
    this.apiKey = apiKey.value;
    this.apiKeySource = apiKey.source;
    this.caFile = caFile;
    this.maxStaleness = maxStaleness;
    this.resolveTimeout = resolveTimeout;
    this.denialCacheTtl = denialCacheTtl;
    this.policyReportInterval = policyReportInterval;
    this.usageReportInterval = usageReportInterval;
    this.warmUpDelay = warmUpDelay;
    this.logLevel = logLevel;
    this.agentToken = agentToken.value;
    this.agentTokenSource = agentToken.source;
    this.maxSignedBodyBytes = maxSignedBodyBytes;
    this.weaveCache = weaveCache;
    this.problems = Collections.unmodifiableList(problems);
  }

  /** Reads the running JVM's arguments, system properties and environment. */
  public static AgentConfig load(String agentArgs) {
    return load(agentArgs, System::getProperty, System::getenv);
  }

  public static AgentConfig load(
      String agentArgs,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    List<String> problems = new ArrayList<>();
    Map<String, String> args = parseArguments(agentArgs, problems);
    Function<Setting, Sourced> lookup =
        setting -> lookup(setting, args, systemProperties, environment);

    List<URI> resolverUrls = parseResolverUrls(lookup.apply(Setting.RESOLVER_URL), problems);

    Secret apiKey =
        Secret.of(
            lookup.apply(Setting.API_KEY), lookup.apply(Setting.API_KEY_FILE), "API key", problems);
    if (apiKey.value != null && apiKey.value.isEmpty()) {
      problems.add("the API key from " + apiKey.source + " is empty");
      apiKey = new Secret(null, apiKey.source);
    }

    Path caFile = null;
    Sourced ca = lookup.apply(Setting.CA_FILE);
    if (ca != null) {
      caFile = Paths.get(ca.value);
      if (!Files.isReadable(caFile)) {
        problems.add("CA file " + caFile + " from " + ca.source + " is not readable");
      }
    }

    Duration maxStaleness =
        parseDuration(lookup.apply(Setting.MAX_STALENESS), DEFAULT_MAX_STALENESS, problems);
    Duration resolveTimeout =
        parseDuration(lookup.apply(Setting.RESOLVE_TIMEOUT), DEFAULT_RESOLVE_TIMEOUT, problems);
    if (resolveTimeout.isZero()) {
      problems.add(
          "resolve timeout must be positive; using " + DEFAULT_RESOLVE_TIMEOUT.toMillis() + " ms");
      resolveTimeout = DEFAULT_RESOLVE_TIMEOUT;
    }
    Sourced denialSetting = lookup.apply(Setting.DENIAL_CACHE_TTL);
    Duration denialCacheTtl = parseDuration(denialSetting, DEFAULT_DENIAL_CACHE_TTL, problems);
    if (denialCacheTtl.compareTo(MAX_DENIAL_CACHE_TTL) > 0) {
      problems.add(
          "denial cache TTL from "
              + denialSetting.source
              + " is longer than "
              + MAX_DENIAL_CACHE_TTL.toMinutes()
              + " minutes; using "
              + DEFAULT_DENIAL_CACHE_TTL.toSeconds()
              + " s");
      denialCacheTtl = DEFAULT_DENIAL_CACHE_TTL;
    }
    Level logLevel = parseLevel(lookup.apply(Setting.LOG_LEVEL), problems);
    Duration policyReportInterval =
        parseDuration(
            lookup.apply(Setting.POLICY_REPORT_INTERVAL), DEFAULT_POLICY_REPORT_INTERVAL, problems);
    if (policyReportInterval.isZero()) {
      policyReportInterval = DEFAULT_POLICY_REPORT_INTERVAL;
    }
    Sourced usageSetting = lookup.apply(Setting.USAGE_REPORT_INTERVAL);
    Duration usageReportInterval =
        parseDuration(usageSetting, DEFAULT_USAGE_REPORT_INTERVAL, problems);
    if (usageReportInterval.isZero()) {
      usageReportInterval = DEFAULT_USAGE_REPORT_INTERVAL;
    } else if (usageReportInterval.compareTo(MAX_USAGE_REPORT_INTERVAL) > 0) {
      problems.add(
          "usage_report_interval from "
              + usageSetting.source
              + " is longer than "
              + MAX_USAGE_REPORT_INTERVAL.toSeconds()
              + " s; using "
              + DEFAULT_USAGE_REPORT_INTERVAL.toSeconds()
              + " s");
      usageReportInterval = DEFAULT_USAGE_REPORT_INTERVAL;
    }

    Duration warmUpDelay =
        parseDuration(lookup.apply(Setting.WARM_UP_DELAY), DEFAULT_WARM_UP_DELAY, problems);

    Secret agentToken = loadAgentToken(lookup, problems);
    long maxSignedBodyBytes =
        parseSize(
            lookup.apply(Setting.AWS_MAX_SIGNED_BODY_BYTES),
            DEFAULT_MAX_SIGNED_BODY_BYTES,
            problems);
    Sourced onStartFailure = lookup.apply(Setting.ON_START_FAILURE);
    if (onStartFailure != null
        && !onStartFailure.value.trim().equalsIgnoreCase("exit")
        && !onStartFailure.value.trim().equalsIgnoreCase("continue")) {
      problems.add(
          "on_start_failure from "
              + onStartFailure.source
              + " must be 'exit' or 'continue'; 'exit' applies");
    }
    return new AgentConfig(
        resolverUrls,
        apiKey,
        caFile,
        maxStaleness,
        resolveTimeout,
        denialCacheTtl,
        policyReportInterval,
        usageReportInterval,
        warmUpDelay,
        logLevel,
        agentToken,
        maxSignedBodyBytes,
        weaveCache(lookup.apply(Setting.WEAVE_CACHE), systemProperties, environment),
        problems);
  }

  /**
   * The woven-class cache's directory: the setting, else {@code $XDG_CACHE_HOME/alter-agent}, else
   * {@code ~/.cache/alter-agent}; null when the setting is {@code off}.
   */
  private static Path weaveCache(
      Sourced setting,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    if (setting != null) {
      String value = setting.value.trim();
      return value.equalsIgnoreCase("off") || value.isEmpty() ? null : Paths.get(value);
    }
    String xdg = environment.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Paths.get(xdg, "alter-agent");
    }
    String home = systemProperties.apply("user.home");
    return home == null || home.isBlank() ? null : Paths.get(home, ".cache", "alter-agent");
  }

  /**
   * The JVM-wide agent token ({@code ALTER_AGENT_TOKEN} / {@code ALTER_AGENT_TOKEN_FILE}), sent as
   * the identity of tagged requests that carry no {@code alter-identity}. Same precedence rules as
   * the app key; a value that is not an {@code alter_key_agent_…} token is ignored, never quoted.
   */
  private static Secret loadAgentToken(Function<Setting, Sourced> lookup, List<String> problems) {
    Secret token =
        Secret.of(
            lookup.apply(Setting.AGENT_TOKEN),
            lookup.apply(Setting.AGENT_TOKEN_FILE),
            "agent token",
            problems);
    if (token.value != null
        && !token.value.startsWith(dev.alter.contract.WireFormat.AGENT_TOKEN_PREFIX)) {
      problems.add(
          "the agent token from "
              + token.source
              + " is not an "
              + dev.alter.contract.WireFormat.AGENT_TOKEN_PREFIX
              + "… token; ignoring it");
      return new Secret(null, token.source);
    }
    return token;
  }

  /** The first resolver base URL (e.g. {@code https://alter.internal:8443}), or null if not set. */
  public URI resolverUrl() {
    return resolverUrls.isEmpty() ? null : resolverUrls.get(0);
  }

  /**
   * Every resolver replica's base URL, in the order they are tried; empty when not set or invalid.
   */
  public List<URI> resolverUrls() {
    return resolverUrls;
  }

  /** The app key; never log it. Null when not configured. */
  public String apiKey() {
    return apiKey;
  }

  /** Where the key came from, e.g. {@code ALTER_API_KEY_FILE (/run/secrets/alter)}, or null. */
  public String apiKeySource() {
    return apiKeySource;
  }

  public Path caFile() {
    return caFile;
  }

  public Duration maxStaleness() {
    return maxStaleness;
  }

  public Duration resolveTimeout() {
    return resolveTimeout;
  }

  /**
   * How long the service's refusal of a grant (revoked, unknown, wrong principal, host not allowed,
   * …) is answered from memory for the same grant and identity; zero asks every time.
   */
  public Duration denialCacheTtl() {
    return denialCacheTtl;
  }

  /** How often refused requests are reported, aggregated ({@code ALTER_POLICY_REPORT_INTERVAL}). */
  public Duration policyReportInterval() {
    return policyReportInterval;
  }

  /**
   * How long after the first HTTP client class loads the resolver client is prepared ({@code
   * ALTER_WARM_UP_DELAY}; zero: at once).
   */
  public Duration warmUpDelay() {
    return warmUpDelay;
  }

  /** How often usage counts are reported ({@code ALTER_USAGE_REPORT_INTERVAL}, at most 10 s). */
  public Duration usageReportInterval() {
    return usageReportInterval;
  }

  public Level logLevel() {
    return logLevel;
  }

  /** The managed agent token this JVM runs as; never log it. Null when not configured. */
  public String agentToken() {
    return agentToken;
  }

  /**
   * Where the agent token came from, e.g. {@code ALTER_AGENT_TOKEN_FILE (/run/secrets/agent)}, or
   * null.
   */
  public String agentTokenSource() {
    return agentTokenSource;
  }

  /**
   * The largest request body (bytes) hashed for an AWS SigV4 signature: a body the client holds in
   * a repeatable form (buffered bytes, repeatable OkHttp bodies, Apache 4/5 entities and HttpCore
   * 5.2.2+ async entity producers, Jetty bytes/string contents, JDK publishers) is read up to this
   * size. A larger, streamed or one-shot body goes as {@code UNSIGNED-PAYLOAD} to S3 and is refused
   * ({@code body_not_signable}) for every other AWS service.
   */
  public long maxSignedBodyBytes() {
    return maxSignedBodyBytes;
  }

  /**
   * Where woven client classes are kept between starts ({@code ALTER_WEAVE_CACHE}), or null when
   * off.
   */
  public Path weaveCache() {
    return weaveCache;
  }

  /** Configuration mistakes found while loading; each is logged once at start-up. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "AgentConfig{resolver="
        + (resolverUrls.size() == 1 ? resolverUrls.get(0) : resolverUrls)
        + ", key="
        + (apiKey == null ? "none" : "from " + apiKeySource)
        + ", caFile="
        + caFile
        + ", maxStaleness="
        + maxStaleness
        + ", resolveTimeout="
        + resolveTimeout
        + ", denialCacheTtl="
        + denialCacheTtl
        + ", awsMaxSignedBodyBytes="
        + maxSignedBodyBytes
        + (agentToken == null ? "" : ", agentToken=from " + agentTokenSource)
        + "}";
  }

  private static Sourced lookup(
      Setting setting,
      Map<String, String> args,
      Function<String, String> systemProperties,
      Function<String, String> environment) {
    if (setting.argument != null) {
      String v = args.get(setting.argument);
      if (v != null && !v.isEmpty()) {
        return new Sourced(v, "agent argument " + setting.argument, 0);
      }
    }
    String v = systemProperties.apply(setting.property);
    if (v != null && !v.isEmpty()) {
      return new Sourced(v, "-D" + setting.property, 1);
    }
    v = environment.apply(setting.env);
    if (v != null && !v.isEmpty()) {
      return new Sourced(v, setting.env, 2);
    }
    return null;
  }

  static Map<String, String> parseArguments(String agentArgs, List<String> problems) {
    Map<String, String> args = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.trim().isEmpty()) {
      return args;
    }
    String previous = null;
    for (String pair : agentArgs.split(",")) {
      if (Setting.RESOLVER_URL.argument.equals(previous) && continuesUrlList(pair)) {
        // resolver=https://a:8443,https://b:8443: the list's commas are not argument separators
        args.put(previous, args.get(previous) + "," + pair.trim());
        continue;
      }
      previous = null;
      int eq = pair.indexOf('=');
      String name = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (eq < 0) {
        problems.add("agent argument '" + name + "' has no value");
        continue;
      }
      boolean known = false;
      for (Setting s : Setting.values()) {
        known |= name.equals(s.argument);
      }
      if (!known) {
        problems.add(
            name.equals("api_key") || name.equals("agent_token")
                ? "agent argument '"
                    + name
                    + "' is not accepted (command lines are visible to every user); use "
                    + name
                    + "_file"
                : "unknown agent argument '" + name + "'");
        continue;
      }
      args.put(name, pair.substring(eq + 1).trim());
      previous = name;
    }
    return args;
  }

  /** A piece of the agent arguments that is the next URL of a resolver list, not a setting. */
  private static boolean continuesUrlList(String piece) {
    int eq = piece.indexOf('=');
    String beforeEquals = eq < 0 ? piece : piece.substring(0, eq);
    return beforeEquals.contains("://");
  }

  /**
   * A comma-separated list of replica base URLs. Any mistake in it (an entry that is not an
   * absolute http(s) URL, user info, a duplicate, or plain http mixed with https) refuses the whole
   * list: running with fewer replicas than the operator listed, or downgrading some of them to
   * plain HTTP, must not happen silently.
   */
  static List<URI> parseResolverUrls(Sourced setting, List<String> problems) {
    if (setting == null) {
      return Collections.emptyList();
    }
    List<URI> urls = new ArrayList<>();
    String[] entries = setting.value.split(",", -1);
    String from = " from " + setting.source;
    String which = "";
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].trim();
      if (entries.length > 1) {
        which = " (entry " + (i + 1) + " of " + entries.length + ")";
      }
      if (entry.isEmpty()) {
        problems.add("resolver URL list" + from + " has an empty entry" + which);
        return Collections.emptyList();
      }
      URI uri = parseResolverUrl(entry, from + which, problems);
      if (uri == null) {
        return Collections.emptyList();
      }
      if (urls.contains(uri)) {
        problems.add("resolver URL " + uri + from + " is listed twice");
        return Collections.emptyList();
      }
      if (!urls.isEmpty() && !urls.get(0).getScheme().equalsIgnoreCase(uri.getScheme())) {
        problems.add(
            "resolver URLs"
                + from
                + " mix http and https; list replicas with one scheme (https in production)");
        return Collections.emptyList();
      }
      urls.add(uri);
    }
    return Collections.unmodifiableList(urls);
  }

  private static URI parseResolverUrl(String value, String from, List<String> problems) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
        problems.add("resolver URL" + from + " must be an absolute http(s) URL");
        return null;
      }
      if (uri.getUserInfo() != null) {
        problems.add("resolver URL" + from + " must not contain user info");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      problems.add("resolver URL" + from + " is not a valid URL");
      return null;
    }
  }

  /**
   * Accepts {@code 500ms}, {@code 2s}, {@code 15m}, {@code 1h}, a bare number of seconds, or
   * ISO-8601.
   */
  static Duration parseDuration(Sourced value, Duration fallback, List<String> problems) {
    if (value == null) {
      return fallback;
    }
    String v = value.value.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("p")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else {
        d = Duration.ofSeconds(Long.parseLong(v));
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return d;
    } catch (RuntimeException e) {
      problems.add(
          "'"
              + value.value
              + "' from "
              + value.source
              + " is not a duration (e.g. 2s, 500ms, 15m); using "
              + fallback);
      return fallback;
    }
  }

  /**
   * Accepts a number of bytes or one with a binary unit: {@code 8388608}, {@code 512KiB}, {@code
   * 8MiB}, {@code 8m}, {@code 1g}.
   */
  static long parseSize(Sourced value, long fallback, List<String> problems) {
    if (value == null) {
      return fallback;
    }
    String v = value.value.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    long unit = 1;
    String[][] units = {
      {"kib", "1024"},
      {"mib", "1048576"},
      {"gib", "1073741824"},
      {"kb", "1024"},
      {"mb", "1048576"},
      {"gb", "1073741824"},
      {"k", "1024"},
      {"m", "1048576"},
      {"g", "1073741824"},
      {"b", "1"}
    };
    for (String[] u : units) {
      if (v.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        v = v.substring(0, v.length() - u[0].length());
        break;
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException("out of range");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      problems.add(
          "'"
              + value.value
              + "' from "
              + value.source
              + " is not a size in bytes (e.g. 8388608, 8MiB, "
              + "512KiB); using "
              + fallback);
      return fallback;
    }
  }

  private static Level parseLevel(Sourced value, List<String> problems) {
    if (value == null) {
      return Level.INFO;
    }
    String v = value.value.trim().toUpperCase(Locale.ROOT);
    switch (v) {
      case "DEBUG":
        return Level.FINE;
      case "TRACE":
        return Level.FINEST;
      case "WARN":
        return Level.WARNING;
      case "ERROR":
        return Level.SEVERE;
      default:
        try {
          return Level.parse(v);
        } catch (IllegalArgumentException e) {
          problems.add(
              "unknown log level '" + value.value + "' from " + value.source + "; using INFO");
          return Level.INFO;
        }
    }
  }
}
