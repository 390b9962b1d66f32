package dev.alter.contract;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plaintext inside a sealed box: the credential's named parts ({@code credential} always, plus
 * provider-specific ones such as Datadog's {@code application_key}). Encoded without JSON so it
 * never passes through a general-purpose (possibly logging) serializer: {@code u16 count, then per
 * part: u16 name length, name (UTF-8), u32 value length, value (UTF-8)}.
 *
 * <p>{@link #toString()} never shows values.
 */
public final class CredentialPayload {
  private static final int MAX_PARTS = 32;
  private static final int MAX_VALUE_BYTES = 64 * 1024;

  private final Map<String, String> parts;

  private CredentialPayload(Map<String, String> parts) {
    this.parts = Collections.unmodifiableMap(parts);
  }

  public static CredentialPayload of(Map<String, String> parts) {
    if (parts == null || !parts.containsKey(WireFormat.PRIMARY_PART)) {
      throw new IllegalArgumentException("a credential payload needs the 'credential' part");
    }
    return new CredentialPayload(new LinkedHashMap<>(parts));
  }

  public static CredentialPayload single(String credential) {
    return of(Collections.singletonMap(WireFormat.PRIMARY_PART, credential));
  }

  public String primary() {
    return parts.get(WireFormat.PRIMARY_PART);
  }

  /** The named part, or null when the secret does not store it. */
  public String part(String name) {
    return parts.get(name);
  }

  public Map<String, String> parts() {
    return parts;
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeShort(out, parts.size());
    for (Map.Entry<String, String> e : parts.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      writeShort(out, name.length);
      out.write(name, 0, name.length);
      out.write(ByteBuffer.allocate(4).putInt(value.length).array(), 0, 4);
      out.write(value, 0, value.length);
    }
    return out.toByteArray();
  }

  public static CredentialPayload decode(byte[] encoded) {
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      int count = Short.toUnsignedInt(in.getShort());
      if (count > MAX_PARTS) {
        throw new IllegalArgumentException("too many credential parts");
      }
      Map<String, String> parts = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(name);
        int valueLength = in.getInt();
        if (valueLength < 0 || valueLength > MAX_VALUE_BYTES) {
          throw new IllegalArgumentException("credential part too long");
        }
        byte[] value = new byte[valueLength];
        in.get(value);
        parts.put(
            new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after credential payload");
      }
      return of(parts);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated credential payload");
    }
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    if (value > 0xffff) {
      throw new IllegalArgumentException("credential part name too long");
    }
    out.write((value >>> 8) & 0xff);
    out.write(value & 0xff);
  }

  @Override
  public String toString() {
    return "CredentialPayload{parts=" + parts.keySet() + ", values=[redacted]}";
  }
}
