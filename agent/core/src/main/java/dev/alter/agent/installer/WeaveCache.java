package dev.alter.agent.installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Woven class bytes kept on disk between starts, so that a JVM that loads the same client classes
 * as an earlier start of the same agent build serves them without starting Byte Buddy.
 *
 * <p>Who may write: only the user the JVM runs as. The directory must be owned by that user and
 * carry no group or other permission (it is created {@code 0700}); every entry and the key file
 * must be regular files owned by that user with no group or other permission ({@code 0600}).
 * Anything else disables the cache (the agent weaves as without it). Each entry is sealed with
 * HMAC-SHA256 under a random key kept in the directory ({@code weave.key}, {@code 0600}) over its
 * lookup key and its bytes; an entry that fails the check, or belongs to another key, is not used
 * (the class is woven again and the entry rewritten). The lookup key covers the original class
 * bytes, the agent build and what decides the weaving (see {@link CachedWeaving}).
 */
final class WeaveCache {
  private static final byte[] MAGIC = "ALTWEAV1".getBytes(StandardCharsets.US_ASCII);
  private static final int MAC_LENGTH = 32;
  private static final String KEY_FILE = "weave.key";
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private final Path dir;
  private final UserPrincipal owner;
  private final byte[] key;

  private WeaveCache(Path dir, UserPrincipal owner, byte[] key) {
    this.dir = dir;
    this.owner = owner;
    this.key = key;
  }

  /**
   * Opens (creating it {@code 0700} if missing) the cache in {@code dir}.
   *
   * @throws IOException with the reason when the directory or its key cannot be trusted or used;
   *     the caller then weaves without a cache
   */
  static WeaveCache open(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(absolute.getParent());
      try {
        Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } catch (FileAlreadyExistsException createdConcurrently) {
        // checked below like any existing directory
      } catch (UnsupportedOperationException e) {
        throw new IOException("the file system has no POSIX permissions");
      }
    }
    UserPrincipal me = currentUser();
    PosixFileAttributes attributes = posixAttributes(absolute);
    if (!attributes.isDirectory()) {
      throw new IOException(absolute + " is not a directory (or is a symbolic link)");
    }
    if (!attributes.owner().equals(me)) {
      throw new IOException(absolute + " is owned by " + attributes.owner() + ", not " + me);
    }
    if (!disjoint(attributes.permissions(), GROUP_OR_OTHER)) {
      throw new IOException(
          absolute
              + " is open to other users ("
              + PosixFilePermissions.toString(attributes.permissions())
              + "; it must be rwx------)");
    }
    return new WeaveCache(absolute, me, readOrCreateKey(absolute, me));
  }

  Path directory() {
    return dir;
  }

  /**
   * @return the woven bytes stored for {@code lookupKey}, or null when there is none or the entry
   *     is not one this user's agent sealed with this cache's key
   */
  byte[] get(byte[] lookupKey) {
    Path entry = entryPath(lookupKey);
    try {
      PosixFileAttributes attributes = posixAttributes(entry);
      if (!isPrivateFile(attributes)) {
        return null;
      }
      byte[] content = Files.readAllBytes(entry);
      int header = MAGIC.length + MAC_LENGTH;
      if (content.length <= header || !Arrays.equals(Arrays.copyOf(content, MAGIC.length), MAGIC)) {
        return null;
      }
      byte[] woven = Arrays.copyOfRange(content, header, content.length);
      byte[] expected = mac(lookupKey, woven);
      byte[] stored = Arrays.copyOfRange(content, MAGIC.length, header);
      return MessageDigest.isEqual(expected, stored) ? woven : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Stores {@code woven} under {@code lookupKey}: written to a private temporary file, then moved
   * into place atomically, so a reader never sees half an entry.
   */
  void put(byte[] lookupKey, byte[] woven) throws IOException {
    byte[] content = new byte[MAGIC.length + MAC_LENGTH + woven.length];
    System.arraycopy(MAGIC, 0, content, 0, MAGIC.length);
    System.arraycopy(mac(lookupKey, woven), 0, content, MAGIC.length, MAC_LENGTH);
    System.arraycopy(woven, 0, content, MAGIC.length + MAC_LENGTH, woven.length);
    Path temporary =
        Files.createTempFile(
            dir, "entry-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    try {
      Files.write(temporary, content);
      Files.move(
          temporary,
          entryPath(lookupKey),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  Path entryPath(byte[] lookupKey) {
    return dir.resolve(hex(lookupKey) + ".class");
  }

  private boolean isPrivateFile(PosixFileAttributes attributes) {
    return attributes.isRegularFile()
        && attributes.owner().equals(owner)
        && disjoint(attributes.permissions(), GROUP_OR_OTHER);
  }

  private byte[] mac(byte[] lookupKey, byte[] woven) {
    return HmacSha256.of(key, lookupKey, woven);
  }

  private static byte[] readOrCreateKey(Path dir, UserPrincipal me) throws IOException {
    Path keyFile = dir.resolve(KEY_FILE);
    if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      Path temporary =
          Files.createTempFile(
              dir, "key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
      try {
        Files.write(temporary, fresh);
        // no REPLACE_EXISTING: of two JVMs starting at once, the second keeps the first's key
        Files.move(temporary, keyFile, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException createdConcurrently) {
        // read below
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
    PosixFileAttributes attributes = posixAttributes(keyFile);
    if (!attributes.isRegularFile()
        || !attributes.owner().equals(me)
        || !disjoint(attributes.permissions(), GROUP_OR_OTHER)) {
      throw new IOException(
          keyFile + " is not a private file of " + me + " (it must be rw-------)");
    }
    byte[] key = Files.readAllBytes(keyFile);
    if (key.length != 32) {
      throw new IOException(keyFile + " does not hold a 32-byte key");
    }
    return key;
  }

  /** The JVM's effective user: the owner of {@code /proc/self} on Linux, else by name. */
  private static UserPrincipal currentUser() throws IOException {
    Path self = Paths.get("/proc/self");
    if (Files.isDirectory(self)) {
      return Files.getOwner(self);
    }
    return self.getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }

  private static PosixFileAttributes posixAttributes(Path path) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      throw new IOException("the file system has no POSIX permissions");
    }
    return view.readAttributes();
  }

  private static boolean disjoint(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
    for (PosixFilePermission permission : a) {
      if (b.contains(permission)) {
        return false;
      }
    }
    return true;
  }

  static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return text.toString();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * HMAC-SHA256 (RFC 2104) on {@link MessageDigest}: {@code javax.crypto.Mac} would bring the JCE
   * provider framework into the start-up path of an app whose first class to weave loads before its
   * own TLS.
   */
  static final class HmacSha256 {
    private static final int BLOCK = 64;

    private HmacSha256() {}

    static byte[] of(byte[] key, byte[]... parts) {
      byte[] block = Arrays.copyOf(key.length > BLOCK ? sha256().digest(key) : key, BLOCK);
      byte[] inner = new byte[BLOCK];
      byte[] outer = new byte[BLOCK];
      for (int i = 0; i < BLOCK; i++) {
        inner[i] = (byte) (block[i] ^ 0x36);
        outer[i] = (byte) (block[i] ^ 0x5c);
      }
      MessageDigest digest = sha256();
      digest.update(inner);
      for (byte[] part : parts) {
        digest.update(part);
      }
      byte[] innerHash = digest.digest();
      digest.update(outer);
      return digest.digest(innerHash);
    }
  }
}
