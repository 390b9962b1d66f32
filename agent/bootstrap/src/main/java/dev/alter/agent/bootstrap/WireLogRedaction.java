package dev.alter.agent.bootstrap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Masks injected credential values in what a client's raw-bytes logger is about to print (for
 * example Apache's {@code org.apache.hc.client5.http.wire}). Advice that injects a value calls
 * {@link #remember}; advice on the logger replaces the bytes it was given with {@link #redact}'s
 * copy. Values are kept only for a few minutes after their last injection, which covers the moment
 * their bytes are logged.
 *
 * <p>A logger may see one header block split over two chunks; a chunk that ends with the start of a
 * value, or starts with its end (at least {@value #MIN_PARTIAL} bytes), or lies wholly inside one,
 * is masked as well.
 */
public final class WireLogRedaction {
  public static final String MASK = "[REDACTED]";

  static final int MIN_PARTIAL = 4;
  private static final int MIN_VALUE = 4;
  private static final int MAX_VALUES = 512;
  private static final long KEEP_NANOS = 10L * 60 * 1_000_000_000L;
  private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);

  /** value bytes (ISO-8859-1, as HTTP/1.1 and HPACK write header text) → last injection time. */
  private static final Map<Value, Long> VALUES = new ConcurrentHashMap<>();

  private static volatile long lastPrune = System.nanoTime();

  /** The value remembered last, by identity, so a repeat injection of the same String is cheap. */
  private static volatile Remembered lastRemembered;

  /**
   * Odd while a prune is removing entries, bumped again when it ends: a remembered value whose
   * generation is even and still current cannot have been removed, as a prune is the only removal.
   */
  private static volatile int pruneGeneration;

  private WireLogRedaction() {}

  /** Called by advice for every credential-bearing value it writes. */
  public static void remember(String value) {
    if (value == null || value.length() < MIN_VALUE) {
      return;
    }
    long now = System.nanoTime();
    Remembered last = lastRemembered;
    int generation = pruneGeneration;
    if (last != null
        && last.source == value
        && last.generation == generation
        && (generation & 1) == 0
        && now - last.at < KEEP_NANOS / 10) {
      // the very String injected into the previous request (a header rewrite is reused per resolved
      // version): no prune ran since its entry was put, and it was stamped less than a tenth of the
      // keep time ago, so it stays remembered for at least nine tenths of KEEP without a re-put
      return;
    }
    Value key = new Value(value.getBytes(StandardCharsets.ISO_8859_1));
    VALUES.put(key, now);
    lastRemembered = new Remembered(value, now, generation);
    if (VALUES.size() > MAX_VALUES || now - lastPrune > KEEP_NANOS / 10) {
      lastPrune = now;
      prune(now, key);
    }
  }

  /**
   * For a request target rewritten to carry a credential (query-parameter injection, presigned
   * URLs): remembers the part of {@code rewritten} that differs from {@code original}.
   */
  public static void rememberChangedPart(String original, String rewritten) {
    if (rewritten == null || rewritten.equals(original)) {
      return;
    }
    String before = original == null ? "" : original;
    int prefix = 0;
    int max = Math.min(before.length(), rewritten.length());
    while (prefix < max && before.charAt(prefix) == rewritten.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && before.charAt(before.length() - 1 - suffix)
            == rewritten.charAt(rewritten.length() - 1 - suffix)) {
      suffix++;
    }
    remember(rewritten.substring(prefix, rewritten.length() - suffix));
  }

  /** True when nothing was injected recently: loggers can skip {@link #redact}. */
  public static boolean isEmpty() {
    return VALUES.isEmpty();
  }

  /**
   * @return a masked copy of {@code b[off, off+len)}, or null when it holds no remembered value
   */
  public static byte[] redact(byte[] b, int off, int len) {
    if (b == null || len <= 0 || VALUES.isEmpty()) {
      return null;
    }
    boolean[] masked = null;
    long now = System.nanoTime();
    for (Map.Entry<Value, Long> e : VALUES.entrySet()) {
      if (now - e.getValue() <= KEEP_NANOS) {
        masked = mark(b, off, len, e.getKey().bytes, masked);
      }
    }
    return masked == null ? null : apply(b, off, len, masked);
  }

  /**
   * @return a masked copy of the remaining bytes of {@code data}, or {@code data} itself when clean
   */
  public static ByteBuffer redact(ByteBuffer data) {
    if (data == null || !data.hasRemaining() || VALUES.isEmpty()) {
      return data;
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    byte[] masked = redact(copy, 0, copy.length);
    if (masked == null) {
      return data;
    }
    // the callers consume the buffer they are given; the original is left for the real write
    return ByteBuffer.wrap(masked);
  }

  private static boolean[] mark(byte[] b, int off, int len, byte[] value, boolean[] masked) {
    int n = value.length;
    // whole occurrences
    for (int i = 0; i + n <= len; i++) {
      if (regionEquals(b, off + i, value, 0, n)) {
        masked = markRange(masked, len, i, i + n);
        i += n - 1;
      }
    }
    // chunk wholly inside a value
    if (len < n && len >= MIN_PARTIAL && indexOf(value, b, off, len) >= 0) {
      return markRange(masked, len, 0, len);
    }
    // chunk ends with the value's start
    for (int k = Math.min(n - 1, len); k >= MIN_PARTIAL; k--) {
      if (regionEquals(b, off + len - k, value, 0, k)) {
        masked = markRange(masked, len, len - k, len);
        break;
      }
    }
    // chunk starts with the value's end
    for (int k = Math.min(n - 1, len); k >= MIN_PARTIAL; k--) {
      if (regionEquals(b, off, value, n - k, k)) {
        masked = markRange(masked, len, 0, k);
        break;
      }
    }
    return masked;
  }

  private static boolean[] markRange(boolean[] masked, int len, int from, int to) {
    boolean[] m = masked == null ? new boolean[len] : masked;
    Arrays.fill(m, from, to, true);
    return m;
  }

  private static byte[] apply(byte[] b, int off, int len, boolean[] masked) {
    byte[] out = new byte[len + MASK_BYTES.length * 8];
    int w = 0;
    int i = 0;
    while (i < len) {
      if (masked[i]) {
        while (i < len && masked[i]) {
          i++;
        }
        out = ensure(out, w + MASK_BYTES.length);
        System.arraycopy(MASK_BYTES, 0, out, w, MASK_BYTES.length);
        w += MASK_BYTES.length;
      } else {
        out = ensure(out, w + 1);
        out[w++] = b[off + i++];
      }
    }
    return Arrays.copyOf(out, w);
  }

  private static byte[] ensure(byte[] out, int size) {
    return size <= out.length ? out : Arrays.copyOf(out, Math.max(size, out.length * 2));
  }

  private static boolean regionEquals(byte[] a, int aOff, byte[] v, int vOff, int n) {
    for (int j = 0; j < n; j++) {
      if (a[aOff + j] != v[vOff + j]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int off, int len) {
    for (int i = 0; i + len <= haystack.length; i++) {
      if (regionEquals(haystack, i, needle, off, len)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Drops values not injected for {@link #KEEP_NANOS}; over the cap, the least recently stamped
   * ones too, never {@code justPut} (the value about to be written).
   */
  static synchronized void prune(long now, Value justPut) {
    pruneGeneration++;
    try {
      VALUES.entrySet().removeIf(e -> now - e.getValue() > KEEP_NANOS);
      while (VALUES.size() > MAX_VALUES) {
        Map.Entry<Value, Long> oldest = null;
        for (Map.Entry<Value, Long> e : VALUES.entrySet()) {
          if (e.getKey() != justPut && (oldest == null || e.getValue() < oldest.getValue())) {
            oldest = e;
          }
        }
        if (oldest == null) {
          break;
        }
        VALUES.remove(oldest.getKey(), oldest.getValue());
      }
    } finally {
      pruneGeneration++;
    }
  }

  /**
   * The String remembered last, when it was stamped and in which prune generation; never printed.
   */
  private static final class Remembered {
    final String source;
    final long at;
    final int generation;

    Remembered(String source, long at, int generation) {
      this.source = source;
      this.at = at;
      this.generation = generation;
    }

    /** Never shows the value: it is a credential. */
    @Override
    public String toString() {
      return "Remembered{[redacted]}";
    }
  }

  /** Byte-array key with value equality; never printed. */
  private static final class Value {
    final byte[] bytes;
    private final int hash;

    Value(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Value && Arrays.equals(bytes, ((Value) o).bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "[redacted value]";
    }
  }
}
