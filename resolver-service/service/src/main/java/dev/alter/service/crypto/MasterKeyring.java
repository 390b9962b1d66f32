package dev.alter.service.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active master key (wraps every new data key) plus retired keys that can still unwrap data
 * keys written before a rotation, until {@code rewrap} has moved them to the active key.
 *
 * <p>Where keys come from: the active key from {@code ALTER_MASTER_KEY} (base64) or {@code
 * ALTER_MASTER_KEY_FILE}; with neither, {@code <data dir>/master.key} (development only: created
 * 0600 when the store holds no credential yet). Retired keys: every {@code *.key} file in the
 * keyring directory ({@code ALTER_MASTER_KEYRING_DIR}, default {@code <data dir>/master-keys/}),
 * one base64 key each.
 */
public final class MasterKeyring {
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeyring.class);

  private final MasterKey active;
  private final Map<String, MasterKey> byId;

  public MasterKeyring(MasterKey active, Iterable<MasterKey> retired) {
    this.active = active;
    Map<String, MasterKey> keys = new LinkedHashMap<>();
    keys.put(active.id(), active);
    for (MasterKey k : retired) {
      keys.putIfAbsent(k.id(), k);
    }
    this.byId = Collections.unmodifiableMap(keys);
  }

  /**
   * @param storedKeyIds the master key ids the store's credential versions are wrapped by; asked
   *     only before creating a development key, which an empty store alone may get
   * @throws IllegalArgumentException when a configured key is missing, unreadable, empty or
   *     malformed (the message names the source, never the key)
   * @throws MasterKeyMissingException when no key is configured and the store holds credentials
   * @throws IOException when the keyring directory cannot be listed or the development key written
   */
  public static MasterKeyring load(
      String masterKeyBase64,
      Path masterKeyFile,
      Path dataDir,
      Path keyringDir,
      Supplier<Set<String>> storedKeyIds)
      throws IOException {
    MasterKey active;
    if (masterKeyBase64 != null) {
      active = parse(masterKeyBase64, "ALTER_MASTER_KEY");
    } else if (masterKeyFile != null) {
      active = readKeyFile(masterKeyFile);
    } else {
      Path devKey = dataDir.resolve("master.key");
      if (!Files.exists(devKey)) {
        Set<String> stored = storedKeyIds.get();
        if (!stored.isEmpty()) {
          throw new MasterKeyMissingException(
              "no master key is configured and "
                  + devKey
                  + " does not exist, "
                  + "but the store holds credential versions wrapped by "
                  + String.join(", ", new TreeSet<>(stored))
                  + ": set ALTER_MASTER_KEY_FILE (or ALTER_MASTER_KEY) to that key; a development key is created "
                  + "only for a store without credentials");
        }
        byte[] material = new byte[MasterKey.LENGTH];
        new SecureRandom().nextBytes(material);
        OwnerOnlyFiles.write(devKey, Base64.getEncoder().encodeToString(material) + "\n");
        LOG.warn(
            "Created a master key at {} because neither ALTER_MASTER_KEY nor "
                + "ALTER_MASTER_KEY_FILE is set. This is for development only: keep production "
                + "master keys outside the data directory.",
            devKey);
      } else {
        LOG.warn(
            "Using the development master key at {} (set ALTER_MASTER_KEY_FILE in production)",
            devKey);
      }
      active = readKeyFile(devKey);
    }
    java.util.List<MasterKey> retired = new java.util.ArrayList<>();
    if (keyringDir != null && Files.isDirectory(keyringDir)) {
      try (Stream<Path> files = Files.list(keyringDir)) {
        for (Path p :
            (Iterable<Path>)
                files.filter(f -> f.getFileName().toString().endsWith(".key")).sorted()::iterator) {
          retired.add(readKeyFile(p));
        }
      }
    }
    MasterKeyring ring = new MasterKeyring(active, retired);
    LOG.info(
        "Master keys: active {}, retired {}",
        active.id(),
        ring.byId.keySet().stream().filter(id -> !id.equals(active.id())).toList());
    return ring;
  }

  /**
   * A configured key file that is missing or unreadable is a setting to correct, like an empty one.
   */
  private static MasterKey readKeyFile(Path file) {
    String source = "master key file " + file;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(source + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          source + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, source);
  }

  private static MasterKey parse(String text, String source) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(source + " is empty (expected base64 of 32 random bytes)");
    }
    try {
      return MasterKey.fromBase64(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": " + e.getMessage() + " (expected base64 of 32 random bytes)");
    }
  }

  public MasterKey active() {
    return active;
  }

  /** The key with this id, or null when it is not configured. */
  public MasterKey find(String keyId) {
    return byId.get(keyId);
  }

  public Set<String> keyIds() {
    return byId.keySet();
  }
}
