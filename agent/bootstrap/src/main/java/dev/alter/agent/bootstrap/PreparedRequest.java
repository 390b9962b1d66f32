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
 *
 * <p>Each thread keeps one slot for good rather than setting and removing a thread-local per
 * request: a removed entry is re-created (and its stale neighbours swept) on the next request,
 * which showed in the tagged path's profile.
 */
public final class PreparedRequest {
  private static final ThreadLocal<Slot> CURRENT =
      new ThreadLocal<Slot>() {
        @Override
        protected Slot initialValue() {
          return new Slot();
        }
      };

  /** The token of an {@link #enter} that found nothing marked: nothing to restore but emptiness. */
  private static final Object NOTHING_BEFORE = new Object();

  private PreparedRequest() {}

  /**
   * Marks {@code replacement} as what to write in place of {@code original} on this thread.
   *
   * @return a token to pass to {@link #exit}, never null
   */
  public static Object enter(Object original, Object replacement) {
    Slot slot = CURRENT.get();
    Object token =
        slot.original == null ? NOTHING_BEFORE : new Object[] {slot.original, slot.replacement};
    slot.original = original;
    slot.replacement = replacement;
    return token;
  }

  /** Restores what was marked before the matching {@link #enter}. */
  public static void exit(Object token) {
    Slot slot = CURRENT.get();
    if (token instanceof Object[]) {
      Object[] previous = (Object[]) token;
      slot.original = previous[0];
      slot.replacement = previous[1];
    } else {
      slot.original = null;
      slot.replacement = null;
    }
  }

  /** The replacement prepared for exactly this object on this thread, or null. */
  public static Object replacementFor(Object original) {
    Slot slot = CURRENT.get();
    return slot.original == original && original != null ? slot.replacement : null;
  }

  /** What this thread marked: both null outside a marked write. */
  private static final class Slot {
    Object original;
    Object replacement;
  }
}
