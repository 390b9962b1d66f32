package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeaveCacheTest {
  private static final byte[] WOVEN = "woven class bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path temp;

  @Test
  void servesWhatItStoredFromAPrivateDirectoryItCreates() throws IOException {
    Path dir = temp.resolve("a/alter-agent");
    WeaveCache cache = WeaveCache.open(dir);
    byte[] key = lookupKey("okhttp3.internal.connection.Exchange");

    assertThat(cache.get(key)).as("nothing stored yet").isNull();
    cache.put(key, WOVEN);

    assertThat(cache.get(key)).isEqualTo(WOVEN);
    assertThat(WeaveCache.open(dir).get(key)).as("a later start").isEqualTo(WOVEN);
    assertThat(permissions(dir)).isEqualTo("rwx------");
    assertThat(permissions(cache.entryPath(key))).isEqualTo("rw-------");
    assertThat(permissions(dir.resolve("weave.key"))).isEqualTo("rw-------");
    assertThat(cache.get(lookupKey("another.Type"))).isNull();
  }

  @Test
  void rejectsAnEntryWhoseBytesWereChanged() throws IOException {
    WeaveCache cache = WeaveCache.open(temp.resolve("cache"));
    byte[] key = lookupKey("a.B");
    cache.put(key, WOVEN);
    Path entry = cache.entryPath(key);
    byte[] content = Files.readAllBytes(entry);
    content[content.length - 1] ^= 1;
    Files.write(entry, content);

    assertThat(cache.get(key)).isNull();
  }

  @Test
  void rejectsAnEntryWhoseSealWasChanged() throws IOException {
    WeaveCache cache = WeaveCache.open(temp.resolve("cache"));
    byte[] key = lookupKey("a.B");
    cache.put(key, WOVEN);
    Path entry = cache.entryPath(key);
    byte[] content = Files.readAllBytes(entry);
    content[10] ^= 1; // inside the HMAC, after the 8-byte magic
    Files.write(entry, content);

    assertThat(cache.get(key)).isNull();
  }

  @Test
  void rejectsAnEntrySealedUnderAnotherCachesKey() throws IOException {
    WeaveCache mine = WeaveCache.open(temp.resolve("mine"));
    WeaveCache theirs = WeaveCache.open(temp.resolve("theirs"));
    byte[] key = lookupKey("a.B");
    theirs.put(key, "their bytes".getBytes(StandardCharsets.UTF_8));
    Files.copy(theirs.entryPath(key), mine.entryPath(key));

    assertThat(mine.get(key)).isNull();
  }

  @Test
  void rejectsAnEntryUnderAnotherLookupKey() throws IOException {
    WeaveCache cache = WeaveCache.open(temp.resolve("cache"));
    byte[] key = lookupKey("a.B");
    byte[] other = lookupKey("a.C");
    cache.put(key, WOVEN);
    Files.copy(cache.entryPath(key), cache.entryPath(other));

    assertThat(cache.get(other)).isNull();
  }

  @Test
  void rejectsAnEntryOtherUsersMayWrite() throws IOException {
    WeaveCache cache = WeaveCache.open(temp.resolve("cache"));
    byte[] key = lookupKey("a.B");
    cache.put(key, WOVEN);
    Files.setPosixFilePermissions(
        cache.entryPath(key), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThat(cache.get(key)).isNull();
  }

  @Test
  void rejectsAnEntryThatIsASymbolicLink() throws IOException {
    WeaveCache cache = WeaveCache.open(temp.resolve("cache"));
    byte[] key = lookupKey("a.B");
    cache.put(key, WOVEN);
    Path elsewhere = temp.resolve("elsewhere.class");
    Files.move(cache.entryPath(key), elsewhere);
    Files.createSymbolicLink(cache.entryPath(key), elsewhere);

    assertThat(cache.get(key)).isNull();
  }

  @Test
  void refusesADirectoryOpenToOtherUsers() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> WeaveCache.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("open to other users");
  }

  @Test
  void refusesADirectoryAnotherUserOwns() throws IOException {
    UserPrincipal me = Files.getOwner(Paths.get("/proc/self"));
    Path dir;
    if (me.getName().equals("root")) {
      dir = Files.createDirectory(temp.resolve("theirs"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.setOwner(
          dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    } else {
      dir = Paths.get("/root"); // root's, and private: not ours
    }

    assertThatThrownBy(() -> WeaveCache.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is owned by");
  }

  @Test
  void refusesAKeyOtherUsersMayRead() throws IOException {
    Path dir = temp.resolve("cache");
    WeaveCache.open(dir);
    Files.setPosixFilePermissions(
        dir.resolve("weave.key"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> WeaveCache.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("weave.key");
  }

  @Test
  void refusesADirectoryThatIsASymbolicLink() throws IOException {
    Path real = temp.resolve("real");
    WeaveCache.open(real);
    Path link = Files.createSymbolicLink(temp.resolve("link"), real);

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThatThrownBy(() -> WeaveCache.open(link))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void hmacMatchesTheJdksHmacSha256() throws Exception {
    SecureRandom random = new SecureRandom();
    for (int keyLength : new int[] {32, 64, 100}) {
      byte[] key = new byte[keyLength];
      byte[] first = new byte[32];
      byte[] second = new byte[1000];
      random.nextBytes(key);
      random.nextBytes(first);
      random.nextBytes(second);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(first);
      mac.update(second);

      assertThat(WeaveCache.HmacSha256.of(key, first, second)).isEqualTo(mac.doFinal());
    }
  }

  private static byte[] lookupKey(String name) {
    return WeaveCache.sha256().digest(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
