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
   * Queues a call of {@code target}'s public method {@code method} (found by name and number of
   * arguments, through a public type) behind the held tagged request, for targets whose writes are
   * not {@code write(context, message, promise)}: a stream channel's {@code Unsafe}, an HTTP/2
   * connection encoder.
   */
  public static void holdCall(Object target, Object message, String method, Object[] arguments) {
    HELD.get(target).writes.add(new Object[] {message, null, null, method, arguments});
  }

  /**
   * As {@link #holdUntil}, for a call of {@code target}'s public method {@code method} with {@code
   * arguments}; once resumed, {@code flushable}'s {@code flush()} is called.
   */
  public static void holdCallUntil(
      Object target,
      Object flushable,
      Object message,
      String method,
      Object[] arguments,
      CompletableFuture<RequestRewrite> outcome,
      Executor executor) {
    hold(target, flushable, executor, new Object[] {message, null, outcome, method, arguments});
    Held waiting = HELD.get(target);
    outcome.whenComplete((rewrite, error) -> resumeOn(target, waiting));
  }

  private static void hold(Object target, Object flushable, Executor executor, Object[] entry) {
    Held held = HELD.get(target);
    if (held == null) {
      held = new Held(flushable, executor);
      HELD.put(target, held);
    }
    held.resuming = false;
    held.writes.addFirst(entry);
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
    // a tagged request found cold while earlier held writes are resumed: it goes first again, and
    // the writes still queued stay behind it
    hold(handler, context, executor, new Object[] {message, promise, outcome});
    Held waiting = HELD.get(handler);
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
      while (held.resuming && !held.writes.isEmpty()) {
        Object[] next = held.writes.pollFirst();
        @SuppressWarnings("unchecked")
        CompletableFuture<RequestRewrite> outcome =
            next.length > 2 ? (CompletableFuture<RequestRewrite>) next[2] : null;
        held.current = next[0];
        held.currentOutcome = outcome;
        try {
          if (next.length > 3) {
            Object[] arguments = (Object[]) next[4];
            publicMethod(handler.getClass(), (String) next[3], arguments.length)
                .invoke(handler, arguments);
          } else {
            writeMethod(handler.getClass()).invoke(handler, held.context, next[0], next[1]);
          }
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
      publicMethod(held.context.getClass(), "flush", 0).invoke(held.context);
    } catch (ReflectiveOperationException | RuntimeException e) {
      HELD.remove(handler, held);
      LOG.log(
          Level.WARNING,
          "Alter: held writes of {0} could not be resumed ({1}); its connection will time out",
          new Object[] {handler.getClass().getName(), e.getClass().getName()});
    }
  }

  private static final Map<Class<?>, Method> WRITE = new ConcurrentHashMap<>();

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

  private static final Map<String, Method> PUBLIC = new ConcurrentHashMap<>();

  /**
   * The method {@code name} with {@code arity} parameters that {@code type} has, declared by a
   * public class or interface (client implementations are often not public, their interfaces are).
   */
  private static Method publicMethod(Class<?> type, String name, int arity)
      throws NoSuchMethodException {
    String key = type.getName() + '#' + name + '/' + arity;
    Method cached = PUBLIC.get(key);
    if (cached == null) {
      cached = findPublic(type, name, arity);
      if (cached == null) {
        throw new NoSuchMethodException(key);
      }
      PUBLIC.put(key, cached);
    }
    return cached;
  }

  private static Method findPublic(Class<?> type, String name, int arity) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
        for (Method m : c.getDeclaredMethods()) {
          if (m.getName().equals(name)
              && m.getParameterCount() == arity
              && java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
            return m;
          }
        }
      }
      for (Class<?> implemented : c.getInterfaces()) {
        Method found = findPublic(implemented, name, arity);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
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
