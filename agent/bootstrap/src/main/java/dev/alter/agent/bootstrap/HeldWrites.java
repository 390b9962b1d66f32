package dev.alter.agent.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds an event-loop client's outbound writes while the credential of a tagged request resolves,
 * so no event-loop thread ever waits for the resolver: the tagged request and every write after it
 * on the same handler (one connection, or one HTTP/2 stream) are kept in order and written again,
 * on the handler's own executor, once the resolve has ended. The resumed write goes through the
 * same hooked method, whose advice then finds the outcome ready ({@link #resumedOutcome}); other
 * channels on the loop never notice.
 *
 * <p>Advice hands the client's objects over as {@link Object}: this class lives on the boot class
 * path and sees none of the client's types, so the resumed write is invoked through the client's
 * own {@code write(context, message, promise)} method, looked up by reflection once per class.
 */
public final class HeldWrites {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");

  /** Handlers with held writes, by identity (client handlers do not override equals). */
  private static final Map<Object, Held> HELD = new ConcurrentHashMap<>();

  private HeldWrites() {}

  /**
   * True when writes of {@code handler} are held and {@code message} must queue behind them. Called
   * on every write of a hooked handler, so the common case is one empty-map check.
   */
  public static boolean isHolding(Object handler) {
    if (HELD.isEmpty()) {
      return false;
    }
    Held held = HELD.get(handler);
    return held != null && !held.resuming;
  }

  /** Queues a write behind the held tagged request; called on the handler's executor. */
  public static void hold(Object handler, Object message, Object promise) {
    HELD.get(handler).writes.add(new Object[] {message, promise});
  }

  /**
   * The outcome a resumed write of {@code message} was held for, or null when this write is not a
   * resumption (the advice then asks the agent itself).
   */
  public static CompletableFuture<RequestRewrite> resumedOutcome(Object handler, Object message) {
    if (HELD.isEmpty()) {
      return null;
    }
    Held held = HELD.get(handler);
    return held != null && held.resuming && held.current == message ? held.currentOutcome : null;
  }

  /**
   * Holds {@code message} (and every later write of {@code handler}) until {@code outcome} is
   * complete, then writes them again, in order, on {@code executor} and flushes the context.
   *
   * @param context the client's handler context, passed back to its {@code write}
   * @param executor the handler's event loop
   */
  public static void holdUntil(
      Object handler,
      Object context,
      Object message,
      Object promise,
      CompletableFuture<RequestRewrite> outcome,
      Executor executor) {
    Held held = HELD.get(handler);
    if (held == null) {
      held = new Held(context, executor);
      HELD.put(handler, held);
    }
    // a tagged request found cold while earlier held writes are resumed: it goes first again, and
    // the writes still queued stay behind it
    held.resuming = false;
    held.writes.addFirst(new Object[] {message, promise, outcome});
    Held waiting = held;
    outcome.whenComplete((rewrite, error) -> resumeOn(handler, waiting));
  }

  private static void resumeOn(Object handler, Held held) {
    try {
      held.executor.execute(() -> resume(handler, held));
    } catch (RuntimeException rejected) {
      // the event loop is shutting down: its channels are closing, nothing held can be written
      HELD.remove(handler, held);
      LOG.log(
          Level.FINE,
          "held writes dropped, the event loop refused them: {0}",
          rejected.getClass().getName());
    }
  }

  private static void resume(Object handler, Held held) {
    held.resuming = true;
    try {
      Method write = writeMethod(handler.getClass());
      while (held.resuming && !held.writes.isEmpty()) {
        Object[] next = held.writes.pollFirst();
        @SuppressWarnings("unchecked")
        CompletableFuture<RequestRewrite> outcome =
            next.length > 2 ? (CompletableFuture<RequestRewrite>) next[2] : null;
        held.current = next[0];
        held.currentOutcome = outcome;
        try {
          write.invoke(handler, held.context, next[0], next[1]);
        } catch (InvocationTargetException e) {
          // the client's write reports its own failures through the promise; log the type only
          LOG.log(
              Level.FINE,
              "a resumed write failed: {0}",
              e.getCause() == null ? "?" : e.getCause().getClass().getName());
        } finally {
          held.current = null;
          held.currentOutcome = null;
        }
      }
      if (held.resuming) {
        HELD.remove(handler, held);
      }
      flushMethod(held.context.getClass()).invoke(held.context);
    } catch (ReflectiveOperationException | RuntimeException e) {
      HELD.remove(handler, held);
      LOG.log(
          Level.WARNING,
          "Alter: held writes of {0} could not be resumed ({1}); its connection will time out",
          new Object[] {handler.getClass().getName(), e.getClass().getName()});
    }
  }

  private static final Map<Class<?>, Method> WRITE = new ConcurrentHashMap<>();
  private static final Map<Class<?>, Method> FLUSH = new ConcurrentHashMap<>();

  /** {@code ChannelOutboundHandler.write(ChannelHandlerContext, Object, ChannelPromise)}. */
  private static Method writeMethod(Class<?> handler) throws ReflectiveOperationException {
    Method cached = WRITE.get(handler);
    if (cached == null) {
      ClassLoader loader = handler.getClassLoader();
      Class<?> outbound = Class.forName("io.netty.channel.ChannelOutboundHandler", false, loader);
      cached =
          outbound.getMethod(
              "write",
              Class.forName("io.netty.channel.ChannelHandlerContext", false, loader),
              Object.class,
              Class.forName("io.netty.channel.ChannelPromise", false, loader));
      WRITE.put(handler, cached);
    }
    return cached;
  }

  /** {@code ChannelHandlerContext.flush()}, through the interface (contexts are not public). */
  private static Method flushMethod(Class<?> context) throws ReflectiveOperationException {
    Method cached = FLUSH.get(context);
    if (cached == null) {
      Class<?> type =
          Class.forName("io.netty.channel.ChannelHandlerContext", false, context.getClassLoader());
      cached = type.getMethod("flush");
      FLUSH.put(context, cached);
    }
    return cached;
  }

  /** Accessed only on the handler's event loop, after creation. */
  private static final class Held {
    final Object context;
    final Executor executor;
    final ArrayDeque<Object[]> writes = new ArrayDeque<>();
    volatile boolean resuming;
    Object current;
    CompletableFuture<RequestRewrite> currentOutcome;

    Held(Object context, Executor executor) {
      this.context = context;
      this.executor = executor;
    }
  }
}
