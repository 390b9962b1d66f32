package dev.alter.agent.bootstrap;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs one WARNING per client when a tagged HTTP/2 header block reaches Netty's HPACK encoder
 * without having passed the agent's hooks (a client with its own HTTP/2 connection encoder over
 * Netty's frame writer). The block is refused there, but such a client may report the failure only
 * as its own closed connection; the operator learns here which client it was and what to do. Names
 * classes and methods only, never a header value.
 */
public final class UnhookedNettyClients {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");

  /** Bounds the memory of clients already warned about; past it, warnings simply stop. */
  private static final int MAX_CLIENTS = 64;

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private UnhookedNettyClients() {}

  /** Called on the encoding thread, so the stack names the client. Never throws. */
  public static void warnOnce() {
    try {
      if (WARNED.size() >= MAX_CLIENTS) {
        return;
      }
      Optional<StackWalker.StackFrame> caller = firstCallerOutsideNetty();
      String client = caller.map(StackWalker.StackFrame::getClassName).orElse("unknown");
      if (!WARNED.add(client)) {
        return;
      }
      LOG.log(
          Level.WARNING,
          "a tagged HTTP/2 request (alter-grant) reached Netty''s HPACK encoder without passing the"
              + " agent''s hooks: client {0}, called from {1}. It was refused and not sent (the"
              + " connection is closed, its other streams fail). Send tagged requests from this"
              + " client over HTTP/1.1, or through Netty''s DefaultHttp2ConnectionEncoder, or use a"
              + " covered client (docs/clients.md). Logged once per client.",
          new Object[] {
            client,
            caller
                .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                .orElse("an event-loop task")
          });
    } catch (Throwable t) {
      // the refusal stands whether or not it could be described
    }
  }

  private static Optional<StackWalker.StackFrame> firstCallerOutsideNetty() {
    return StackWalker.getInstance()
        .walk(frames -> frames.filter(f -> isClientCode(f.getClassName())).findFirst());
  }

  static boolean isClientCode(String className) {
    return !className.startsWith("io.netty.")
        && !className.startsWith("java.")
        && !className.startsWith("jdk.")
        && !className.startsWith("sun.")
        && !className.startsWith("dev.alter.agent.bootstrap.");
  }
}
