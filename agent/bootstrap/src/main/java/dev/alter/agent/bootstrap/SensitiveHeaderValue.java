package dev.alter.agent.bootstrap;

/**
 * An injected header value as an HTTP/2 header block carries it: HPACK advice ({@code
 * HpackEncoderInstrumentation} of the netty-http module) writes a value of this type as never
 * indexed, so the credential never enters a dynamic table that an intermediary or a later header
 * block could probe.
 */
public final class SensitiveHeaderValue implements CharSequence {
  private final String value;

  public SensitiveHeaderValue(String value) {
    this.value = value;
  }

  @Override
  public int length() {
    return value.length();
  }

  @Override
  public char charAt(int index) {
    return value.charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return value.subSequence(start, end);
  }

  @Override
  public String toString() {
    return value;
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SensitiveHeaderValue
        && value.equals(((SensitiveHeaderValue) other).value);
  }
}
