package dev.alter.agent.injection.aws;

import dev.alter.contract.Hex;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An {@link OutputStream} that only hashes (SHA-256) what is written to it and counts it: nothing
 * is buffered, and writing more than the limit stops the writer with {@link OverLimit}.
 */
public final class BoundedDigest extends OutputStream {
  private final MessageDigest sha256;
  private final long limit;
  private long count;

  public BoundedDigest(long limit) {
    this.limit = limit;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    admit(1);
    sha256.update((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    admit(len);
    sha256.update(b, off, len);
  }

  public void write(java.nio.ByteBuffer buffer) throws IOException {
    admit(buffer.remaining());
    sha256.update(buffer);
  }

  private void admit(long n) throws OverLimit {
    count += n;
    if (count > limit) {
      throw new OverLimit(count, limit);
    }
  }

  long count() {
    return count;
  }

  /** Lower-case hex SHA-256 of everything written. */
  public String hexDigest() {
    return Hex.encode(sha256.digest());
  }

  /**
   * The body turned out longer than the signing limit (only a lower bound of its size is known).
   */
  public static final class OverLimit extends IOException {
    private static final long serialVersionUID = 1L;
    final long atLeast;
    final long limit;

    OverLimit(long atLeast, long limit) {
      super("more than " + limit + " bytes", null);
      this.atLeast = atLeast;
      this.limit = limit;
    }
  }
}
