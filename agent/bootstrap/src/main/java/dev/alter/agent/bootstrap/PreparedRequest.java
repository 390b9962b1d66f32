package dev.alter.agent.bootstrap;

/**
 * Hands a request that advice has already rewritten from the hook that decides (and may fail) a
 * request to the hook, further down the same call on the same thread, that writes it.
 *
 * <p>OkHttp needs the split: a tagged request must fail before its {@code Exchange} starts its
 * bookkeeping (OkHttp 4 and 5 try to read a response after a failed header write, which blocks or
 * throws an unrelated error), yet the credential-bearing copy may only replace the request in the
 * codec, after {@code EventListener.requestHeadersStart} and out of sight of {@code
 * requestHeadersEnd}. The replacement is matched to the original by identity, and the deciding hook
 * always restores the previous state on exit, so nothing outlives the write.
 */
public final class PreparedRequest {
  private static final ThreadLocal<Object[]> CURRENT = new ThreadLocal<>();

  private PreparedRequest() {}

  /**
   * Marks {@code replacement} as what to write in place of {@code original} on this thread.
   *
   * @return a token to pass to {@link #exit}, never null
   */
  public static Object enter(Object original, Object replacement) {
    Object[] previous = CURRENT.get();
    CURRENT.set(new Object[] {original, replacement});
    return new Object[] {previous};
  }

  /** Restores what was marked before the matching {@link #enter}. */
  public static void exit(Object token) {
    Object previous = ((Object[]) token)[0];
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set((Object[]) previous);
    }
  }

  /** The replacement prepared for exactly this object on this thread, or null. */
  public static Object replacementFor(Object original) {
    Object[] current = CURRENT.get();
    return current != null && current[0] == original ? current[1] : null;
  }
}
