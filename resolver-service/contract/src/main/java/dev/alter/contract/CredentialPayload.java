package dev.alter.contract;

import dev.alter.contract.policy.RequestPolicy;
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
 * <p>A grant's {@link RequestPolicy} travels as the reserved part {@link WireFormat#POLICY_PART},
 * so it is sealed, and authenticated, with the credential.
 *
 * <p>{@link #toString()} never shows values.
 */
public final class CredentialPayload {
  private static final int MAX_PARTS = 32;
  private static final int MAX_VALUE_BYTES = 64 * 1024;

  private final Map<String, String> parts;

  /** The grant's request policy sealed with the credential, or null. */
  private final RequestPolicy requestPolicy;

  private CredentialPayload(Map<String, String> parts, RequestPolicy requestPolicy) {
    this.parts = Collections.unmodifiableMap(parts);
    this.requestPolicy = requestPolicy;
  }

  public static CredentialPayload of(Map<String, String> parts) {
    if (parts == null || !parts.containsKey(WireFormat.PRIMARY_PART)) {
      throw new IllegalArgumentException("a credential payload needs the 'credential' part");
    }
    if (parts.containsKey(WireFormat.POLICY_PART)) {
      throw new IllegalArgumentException(
          "'" + WireFormat.POLICY_PART + "' is not a credential part");
    }
    return new CredentialPayload(new LinkedHashMap<>(parts), null);
  }

  /** This payload with the grant's request policy sealed beside the parts. */
  public CredentialPayload withRequestPolicy(RequestPolicy policy) {
    return new CredentialPayload(new LinkedHashMap<>(parts), policy);
  }

  /** The grant's request policy, or null when the grant has none for the agent to check. */
  public RequestPolicy requestPolicy() {
    return requestPolicy;
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
    Map<String, String> encoded = parts;
    if (requestPolicy != null) {
      encoded = new LinkedHashMap<>(parts);
      encoded.put(WireFormat.POLICY_PART, requestPolicy.encode());
    }
    writeShort(out, encoded.size());
    for (Map.Entry<String, String> e : encoded.entrySet()) {
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
      String policy = parts.remove(WireFormat.POLICY_PART);
      CredentialPayload payload = of(parts);
      return policy == null ? payload : payload.withRequestPolicy(RequestPolicy.decode(policy));
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
