package dev.alter.agent.tooling;

import dev.alter.agent.bootstrap.DialledConnection;
import dev.alter.agent.bootstrap.WireLogRedaction;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * Advice that several client modules weave unchanged. It names only JDK and bootstrap types, so one
 * copy fits every client; weave it with {@code AdviceFromClassFile.on(SharedAdvice.class,
 * "MarkDialledConnection", …)} like any other advice.
 */
public final class SharedAdvice {
  private SharedAdvice() {}

  /**
   * On a connection's method that hands a request head to a writer which cannot see the connection:
   * marks this connection on the thread ({@link DialledConnection}) for the writer hook, which
   * binds the destination to the origin it really dialled.
   */
  public static final class MarkDialledConnection {
    private MarkDialledConnection() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object connection) {
      return DialledConnection.enter(connection);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Object previous) {
      DialledConnection.exit(previous);
    }
  }

  /**
   * On a wire logger's {@code (byte[], offset, length)} method: the logger is handed a copy with
   * every recently injected value masked, while the socket still gets the original bytes. A failure
   * fails the call; it never lets the unmasked bytes be logged.
   */
  public static final class MaskLoggedRange {
    private MaskLoggedRange() {}

    @Advice.OnMethodEnter
    public static void enter(
        @Advice.Argument(value = 0, readOnly = false) byte[] bytes,
        @Advice.Argument(value = 1, readOnly = false) int offset,
        @Advice.Argument(value = 2, readOnly = false) int length) {
      if (bytes == null || WireLogRedaction.isEmpty()) {
        return;
      }
      byte[] masked = WireLogRedaction.redact(bytes, offset, length);
      if (masked != null) {
        bytes = masked;
        offset = 0;
        length = masked.length;
      }
    }
  }

  /** {@link MaskLoggedRange} for a logger's {@code (byte[])} method. */
  public static final class MaskLoggedArray {
    private MaskLoggedArray() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 0, readOnly = false) byte[] bytes) {
      if (bytes == null || WireLogRedaction.isEmpty()) {
        return;
      }
      byte[] masked = WireLogRedaction.redact(bytes, 0, bytes.length);
      if (masked != null) {
        bytes = masked;
      }
    }
  }

  /** {@link MaskLoggedRange} for a logger's method whose first argument is a {@link ByteBuffer}. */
  public static final class MaskLoggedBuffer {
    private MaskLoggedBuffer() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(value = 0, readOnly = false) ByteBuffer data) {
      if (data != null && !WireLogRedaction.isEmpty()) {
        data = WireLogRedaction.redact(data);
      }
    }
  }
}
