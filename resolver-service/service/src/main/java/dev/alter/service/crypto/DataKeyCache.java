package dev.alter.service.crypto;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Unwrapped data keys of recently decrypted credential versions, so a resolve does not unwrap its
 * data key under the master key every time.
 *
 * <p>An entry is keyed by everything the unwrap authenticated: the binding (app, secret, version),
 * the master key id and the wrapped key bytes as stored. A row that was altered, moved to another
 * secret or rewrapped misses, and goes through the full authenticated unwrap again. Bounded in size
 * (least recently used goes first) and in age; a key is zeroed when it leaves. Keys never leave
 * this class except as copies the caller clears, and nothing here is logged.
 */
final class DataKeyCache {
  private final int maxEntries;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  DataKeyCache(int maxEntries, long ttlNanos, LongSupplier nanoTime) {
    if (maxEntries < 1 || ttlNanos < 1) {
      throw new IllegalArgumentException(
          "a data key cache needs room for one key and a positive age");
    }
    this.maxEntries = maxEntries;
    this.ttlNanos = ttlNanos;
    this.nanoTime = nanoTime;
  }

  private static final class Key {
    private final CredentialBinding binding;
    private final String masterKeyId;
    private final byte[] wrappedKey;
    private final int hash;

    Key(CredentialBinding binding, String masterKeyId, byte[] wrappedKey) {
      this.binding = binding;
      this.masterKeyId = masterKeyId;
      this.wrappedKey = wrappedKey.clone();
      this.hash =
          31 * (31 * binding.hashCode() + masterKeyId.hashCode()) + Arrays.hashCode(wrappedKey);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && hash == k.hash
          && binding.equals(k.binding)
          && masterKeyId.equals(k.masterKeyId)
          && Arrays.equals(wrappedKey, k.wrappedKey);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private record Entry(byte[] dataKey, long expiresAt) {}

  /** A copy of the cached data key (the caller clears it), or null. */
  synchronized byte[] get(CredentialBinding binding, String masterKeyId, byte[] wrappedKey) {
    Key key = new Key(binding, masterKeyId, wrappedKey);
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (nanoTime.getAsLong() - e.expiresAt() >= 0) {
      entries.remove(key);
      Arrays.fill(e.dataKey(), (byte) 0);
      return null;
    }
    return e.dataKey().clone();
  }

  /** Keeps a copy of {@code dataKey}; the caller still owns (and clears) its own array. */
  synchronized void put(
      CredentialBinding binding, String masterKeyId, byte[] wrappedKey, byte[] dataKey) {
    Entry previous =
        entries.put(
            new Key(binding, masterKeyId, wrappedKey),
            new Entry(dataKey.clone(), nanoTime.getAsLong() + ttlNanos));
    if (previous != null) {
      Arrays.fill(previous.dataKey(), (byte) 0);
    }
    Iterator<Entry> oldestFirst = entries.values().iterator();
    while (entries.size() > maxEntries) {
      Arrays.fill(oldestFirst.next().dataKey(), (byte) 0);
      oldestFirst.remove();
    }
  }

  /** Drops (and zeroes) every cached key of this secret's versions. */
  synchronized void forgetSecret(String secretId) {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Entry> e = it.next();
      if (e.getKey().binding.secretId().equals(secretId)) {
        Arrays.fill(e.getValue().dataKey(), (byte) 0);
        it.remove();
      }
    }
  }

  synchronized int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "DataKeyCache{" + size() + " keys}";
  }
}
