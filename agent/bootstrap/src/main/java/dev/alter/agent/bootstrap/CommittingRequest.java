package dev.alter.agent.bootstrap;

/**
 * Hands the body object of the request whose head the current thread is committing from the method
 * that holds both (Apache HttpCore 5's async stream handlers' {@code commitRequest(request,
 * entityDetails)}) to the header writer or HPACK encoder it calls on the same thread, which see
 * only the head. Only tagged requests are marked; one two-slot array per thread, so marking
 * allocates nothing.
 */
public final class CommittingRequest {
  private static final ThreadLocal<Object[]> CURRENT = ThreadLocal.withInitial(() -> new Object[2]);

  private CommittingRequest() {}

  /**
   * Marks {@code request}, whose body is {@code body} (null: none), as the one being committed.
   *
   * @return what to hand to {@link #exit}: the mark this one covers, if any
   */
  public static Object enter(Object request, Object body) {
    Object[] slot = CURRENT.get();
    Object[] previous = slot[0] == null ? null : new Object[] {slot[0], slot[1]};
    slot[0] = request;
    slot[1] = body;
    return previous;
  }

  /** Ends the {@link #enter} that returned {@code previous}. */
  public static void exit(Object previous) {
    Object[] slot = CURRENT.get();
    Object[] covered = (Object[]) previous;
    slot[0] = covered == null ? null : covered[0];
    slot[1] = covered == null ? null : covered[1];
  }

  /** Whether this thread is committing {@code request} (compared by identity). */
  public static boolean isCommitting(Object request) {
    return request != null && CURRENT.get()[0] == request;
  }

  /** Whether this thread is committing any marked request. */
  public static boolean isCommittingAny() {
    return CURRENT.get()[0] != null;
  }

  /** The body of the request being committed; null when it has none or none is marked. */
  public static Object body() {
    return CURRENT.get()[1];
  }
}
