package dev.alter.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Links an injected request to its response across a client's internals: the request-side advice
 * marks the client's own per-exchange object (a hop's request, an exchange, a connection) with the
 * observer the injector attached to the request, and the response-side advice, handed the same
 * object and the status, tells that observer. Keys are held weakly and compared by identity, so an
 * exchange that never gets a response (a failed connection) leaves nothing behind, and two equal
 * requests in flight are told apart.
 *
 * <p>A client whose response hook runs on the thread that wrote the request head marks through
 * {@link #expectOnThisThread}: a slot of that thread instead of the map, so its tagged requests do
 * not put into and remove from a map shared by every thread.
 *
 * <p>Untagged responses cost one {@link ConcurrentHashMap#isEmpty()} while no injected request is
 * awaiting its answer (and, once a thread slot was ever used, one thread-local read).
 */
public final class AwaitedResponses {
  /** Values: the observer, or the request whose observer the injector sets later. */
  private static final ConcurrentHashMap<Key, Object> AWAITED = new ConcurrentHashMap<>();

  private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();

  /** The exchange whose request head the current thread is writing ({@link #writingFor}). */
  private static final ThreadLocal<Object> WRITING = new ThreadLocal<>();

  /** The one exchange each thread awaits through {@link #expectOnThisThread}. */
  private static final ThreadLocal<Slot> SLOT =
      new ThreadLocal<Slot>() {
        @Override
        protected Slot initialValue() {
          return new Slot();
        }
      };

  /** Set once any thread used its slot: until then a response need not look at its own. */
  private static volatile boolean slotsInUse;

  private AwaitedResponses() {}

  /** Marks {@code exchange} when the injector asked to see the response of {@code request}. */
  public static void expect(Object exchange, OutgoingRequest request) {
    ResponseObserver observer = request == null ? null : request.responseObserver();
    if (exchange == null || observer == null) {
      return;
    }
    expunge();
    AWAITED.put(new Key(exchange, GONE), observer);
  }

  /**
   * {@link #expect} for a client that reports the response on the thread that wrote this request's
   * head (a blocking exchange). A mark the slot already held (a request sent from inside another's
   * body, say) moves to the shared map, so neither is lost.
   */
  public static void expectOnThisThread(Object exchange, OutgoingRequest request) {
    ResponseObserver observer = request == null ? null : request.responseObserver();
    if (exchange == null || observer == null) {
      return;
    }
    if (!slotsInUse) {
      slotsInUse = true;
    }
    Slot slot = SLOT.get();
    Object held = slot.exchange();
    if (held != null && held != exchange) {
      expunge();
      AWAITED.put(new Key(held, GONE), slot.observer);
    }
    slot.exchange = new WeakReference<>(exchange);
    slot.observer = observer;
  }

  /**
   * {@link #expect} for a request whose rewrite is still being decided off the caller's thread (an
   * event loop's held write): the observer is read from the request when the response arrives.
   */
  public static void expectOnceRewritten(Object exchange, OutgoingRequest request) {
    if (exchange == null || request == null) {
      return;
    }
    expunge();
    AWAITED.put(new Key(exchange, GONE), request);
  }

  private static void expunge() {
    for (Object gone = GONE.poll(); gone != null; gone = GONE.poll()) {
      AWAITED.remove(gone);
    }
  }

  /**
   * The response to the request sent on {@code exchange} has this status. Interim 1xx answers
   * (other than 101) leave the mark for the final response.
   */
  public static void responded(Object exchange, int status) {
    if (exchange == null || status >= 100 && status < 200 && status != 101) {
      return;
    }
    Object awaited = null;
    if (slotsInUse) {
      Slot slot = SLOT.get();
      if (slot.exchange() == exchange) {
        awaited = slot.observer;
        slot.clear();
      }
    }
    if (awaited == null) {
      if (AWAITED.isEmpty()) {
        return;
      }
      awaited = AWAITED.remove(new Probe(exchange));
    }
    ResponseObserver observer =
        awaited instanceof OutgoingRequest
            ? ((OutgoingRequest) awaited).responseObserver()
            : (ResponseObserver) awaited;
    if (observer != null) {
      try {
        observer.responded(status);
      } catch (Throwable countingFailed) {
        // counts are best effort: the application's response is never touched
      }
    }
  }

  /**
   * Marks {@code exchange} as the one whose request head this thread is writing, for a request hook
   * that sits below the per-exchange object (an HTTP/2 encoder shared by the connection's streams).
   *
   * @return what to hand to {@link #writtenFor} when the write ends
   */
  public static Object writingFor(Object exchange) {
    Object previous = WRITING.get();
    WRITING.set(exchange);
    return previous;
  }

  /** Ends the {@link #writingFor} it returned {@code previous} from. */
  public static void writtenFor(Object previous) {
    if (previous == null) {
      WRITING.remove();
    } else {
      WRITING.set(previous);
    }
  }

  /** {@link #expect} for the exchange this thread is writing ({@link #writingFor}), if any. */
  public static void expectForWritten(OutgoingRequest request) {
    expect(WRITING.get(), request);
  }

  /** Whether any injected request awaits its response: the response hooks' fast path. */
  public static boolean anyAwaited() {
    return !AWAITED.isEmpty() || slotsInUse && SLOT.get().exchange() != null;
  }

  /**
   * Whether an injected request sent on {@code exchange} awaits its response: for a response hook
   * that must do more than read a status (reflection) before it can call {@link #responded}.
   */
  public static boolean awaits(Object exchange) {
    if (exchange == null) {
      return false;
    }
    if (slotsInUse && SLOT.get().exchange() == exchange) {
      return true;
    }
    return !AWAITED.isEmpty() && AWAITED.containsKey(new Probe(exchange));
  }

  /** Marks still awaiting a response in the shared map and this thread's slot (tests). */
  public static int awaiting() {
    return AWAITED.size() + (slotsInUse && SLOT.get().exchange() != null ? 1 : 0);
  }

  /**
   * A thread's one awaited exchange, held weakly: a request that failed before its response leaves
   * a mark that neither keeps the client's objects nor pins the application's class loader to a
   * pooled thread.
   */
  private static final class Slot {
    WeakReference<Object> exchange;
    ResponseObserver observer;

    Object exchange() {
      WeakReference<Object> held = exchange;
      return held == null ? null : held.get();
    }

    void clear() {
      exchange = null;
      observer = null;
    }
  }

  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (other instanceof Probe) {
        return other.equals(this);
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }

  /**
   * Looks a {@link Key} up without being a reference itself: a lookup per response need not make
   * the collector track one more weak reference. Equal to the key of the same object.
   */
  private static final class Probe {
    private final Object exchange;
    private final int hash;

    Probe(Object exchange) {
      this.exchange = exchange;
      this.hash = System.identityHashCode(exchange);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other == this || other instanceof Key && ((Key) other).get() == exchange;
    }
  }
}
