package dev.alter.agent.bootstrap;

/**
 * An HTTP/2 stream refused before its HEADERS frame was sent, on the thread that refused it: it
 * must end without touching its connection, which its sibling streams share.
 *
 * <p>Two marks, each read further down the same call. The reset mark: a client that resets a stream
 * whose request failed must not send RST_STREAM for it, since a frame for a stream the peer never
 * saw (an idle stream) is a connection error (RFC 9113 §5.1). One stream per thread at most: a
 * later refusal replaces an earlier mark no reset took. The report mark: while the refusal is
 * handed to the stream's exchange, the client must not close the connection the way it does for a
 * failed exchange, since nothing went wrong on it.
 */
public final class UnsentStream {
  private static final ThreadLocal<Object> REFUSED = new ThreadLocal<>();
  private static final ThreadLocal<Boolean> REPORTING = new ThreadLocal<>();

  private UnsentStream() {}

  /** Marks {@code stream} (the client's per-stream channel) as refused before anything was sent. */
  public static void refused(Object stream) {
    REFUSED.set(stream);
  }

  /** True, once, when {@code stream} is the one marked on this thread; clears the mark. */
  public static boolean takeRefused(Object stream) {
    Object refused = REFUSED.get();
    if (refused == null || refused != stream) {
      return false;
    }
    REFUSED.remove();
    return true;
  }

  /**
   * Drops the reset mark: the stream's reset, which comes before its exchange hears of the refusal,
   * is over (HttpCore 5.0 to 5.3 send no frame for an idle stream and never ask).
   */
  public static void forgetRefused() {
    REFUSED.remove();
  }

  /**
   * Marks this thread as handing a refusal to its exchange.
   *
   * @return a token for {@link #reported}
   */
  public static Object reporting() {
    Boolean previous = REPORTING.get();
    REPORTING.set(Boolean.TRUE);
    return previous == null ? Boolean.FALSE : previous;
  }

  /** Ends the mark {@link #reporting} set. */
  public static void reported(Object token) {
    if (Boolean.TRUE.equals(token)) {
      REPORTING.set(Boolean.TRUE);
    } else {
      REPORTING.remove();
    }
  }

  /** True while a refusal is being handed to its exchange on this thread. */
  public static boolean isReporting() {
    return REPORTING.get() != null;
  }
}
