package dev.alter.service;

import dev.alter.service.crypto.MasterKeyMissingException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar alter-resolver-service.jar [serve] [--flag value …]}. Settings come from {@code
 * ALTER_*} environment variables; flags override them (see {@link ServiceConfig}). Exit status: 1
 * the service could not start, 2 a setting is empty, malformed or refused, 3 a master key the store
 * needs is not configured.
 */
public final class Main {
  /** A setting is empty, malformed or refused (the message names it, never its value). */
  static final int EXIT_CONFIGURATION = 2;

  /** The store holds credentials wrapped by a master key that was not configured. */
  static final int EXIT_MASTER_KEY_MISSING = 3;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    String[] rest = args;
    if (rest.length > 0
        && (rest[0].equals("--help") || rest[0].equals("-h") || rest[0].equals("help"))) {
      System.out.println(USAGE);
      return;
    }
    if (rest.length > 0 && rest[0].equals("serve")) {
      rest = Arrays.copyOfRange(rest, 1, rest.length);
    }
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(System.getenv(), rest);
    } catch (IllegalArgumentException e) {
      System.err.println("alter-resolver-service: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(EXIT_CONFIGURATION);
      return;
    }
    RunningService running;
    try {
      running = ResolverService.start(config);
    } catch (MasterKeyMissingException e) {
      System.err.println("alter-resolver-service: cannot start: " + e.getMessage());
      System.exit(EXIT_MASTER_KEY_MISSING);
      return;
    } catch (IllegalArgumentException e) {
      // a setting read at start (a key file's content, the bind address) was refused
      System.err.println("alter-resolver-service: cannot start: " + e.getMessage());
      System.exit(EXIT_CONFIGURATION);
      return;
    } catch (RuntimeException e) {
      System.err.println("alter-resolver-service: cannot start: " + e.getMessage());
      org.slf4j.LoggerFactory.getLogger(Main.class).error("Start-up failed", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "alter-shutdown"));
    stopped.await();
  }

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar alter-resolver-service.jar [serve] [--flag value …]",
          "  --data-dir DIR            ALTER_DATA_DIR (default ./alter-data; embedded H2 and dev master key live here)",
          "  --db-url URL              ALTER_DB_URL, e.g. jdbc:postgresql://127.0.0.1:5432/alter (default: embedded H2)",
          "  --db-user U / --db-password P   ALTER_DB_USER / ALTER_DB_PASSWORD",
          "  --bind HOST               ALTER_BIND (default 127.0.0.1; non-loopback needs TLS or --allow-insecure-bind true)",
          "  --port N                  ALTER_PORT (default 8470; 0 = ephemeral)",
          "  --port-file FILE          ALTER_PORT_FILE: write the bound port there once ready",
          "  --tls-keystore FILE       ALTER_TLS_KEYSTORE (PKCS#12) and ALTER_TLS_KEYSTORE_PASSWORD",
          "  --master-key-file FILE    ALTER_MASTER_KEY_FILE (or ALTER_MASTER_KEY, base64 of 32 bytes)",
          "  --master-keyring-dir DIR  ALTER_MASTER_KEYRING_DIR: retired master keys (*.key) kept for rewrap",
          "  --admin-key-file FILE     ALTER_ADMIN_KEY_FILE: accept the key in it, or write a new one there (0600)",
          "  --default-ttl-seconds N   ALTER_DEFAULT_TTL_SECONDS (default 60)");
}
