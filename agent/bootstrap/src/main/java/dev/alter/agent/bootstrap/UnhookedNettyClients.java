package dev.alter.agent.bootstrap;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs one WARNING per client when a tagged request reaches Netty's HTTP/2 encoder through a client
 * whose HTTP/2 path Alter does not hook (one that builds its HTTP/2 headers itself). The request is
 * refused and never sent, but such a client may report the failure as its own closed stream or
 * timeout, without the agent's exception; the operator learns here which client it was and what to
 * do. Names classes and the pipeline's handler names only, never a header value.
 */
public final class UnhookedNettyClients {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");

  /** Bounds the memory of clients already warned about; past it, warnings simply stop. */
  private static final int MAX_CLIENTS = 64;

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private UnhookedNettyClients() {}

  /**
   * Called where the HTTP/2 encoder refuses a tagged HEADERS write; {@code handlerContext} is the
   * encoder's {@code io.netty.channel.ChannelHandlerContext}. Never throws.
   */
  public static void warnOnce(Object handlerContext) {
    try {
      if (WARNED.size() >= MAX_CLIENTS) {
        return;
      }
      Pipeline pipeline = Pipeline.of(handlerContext);
      String caller = firstCallerOutsideNetty().orElse(null);
      String client = pipeline.firstClientHandler().orElse(caller);
      if (client == null) {
        client = pipeline.handlerClass;
      }
      if (!WARNED.add(client)) {
        return;
      }
      LOG.log(
          Level.WARNING,
          "a tagged request (alter-grant) reached Netty''s HTTP/2 encoder from a client that builds"
              + " its HTTP/2 headers itself, which Alter does not hook: client {0}, called from {1},"
              + " channel pipeline [{2}]. It was refused (internal_error) and not sent; the client"
              + " may report it as its own stream or connection failure. Send tagged requests from"
              + " this client over HTTP/1.1 (AsyncHttpClient: setHttp2Enabled(false); Vert.x:"
              + " HttpVersion.HTTP_1_1), or use Reactor Netty (Spring WebClient), the JDK"
              + " HttpClient, OkHttp, Apache HttpClient 5 or Jetty HttpClient for tagged HTTP/2"
              + " requests. Logged once per client.",
          new Object[] {client, caller == null ? "an event-loop task" : caller, pipeline.handlers});
    } catch (Throwable t) {
      // the refusal stands whether or not it could be described
    }
  }

  private static Optional<String> firstCallerOutsideNetty() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(frame -> isClientCode(frame.getClassName()))
                    .findFirst()
                    .map(frame -> frame.getClassName() + "." + frame.getMethodName()));
  }

  static boolean isClientCode(String className) {
    return !className.startsWith("io.netty.")
        && !className.startsWith("java.")
        && !className.startsWith("jdk.")
        && !className.startsWith("sun.")
        && !className.startsWith("dev.alter.agent.bootstrap.");
  }

  /** What the encoder's channel pipeline says about the client that built it. */
  private static final class Pipeline {
    final String handlerClass;
    final String handlers;
    private final String firstClientHandler;

    private Pipeline(String handlerClass, String handlers, String firstClientHandler) {
      this.handlerClass = handlerClass;
      this.handlers = handlers;
      this.firstClientHandler = firstClientHandler;
    }

    Optional<String> firstClientHandler() {
      return Optional.ofNullable(firstClientHandler);
    }

    static Pipeline of(Object handlerContext) throws ReflectiveOperationException {
      ClassLoader loader = handlerContext.getClass().getClassLoader();
      Class<?> contextType = Class.forName("io.netty.channel.ChannelHandlerContext", false, loader);
      Class<?> pipelineType = Class.forName("io.netty.channel.ChannelPipeline", false, loader);
      Object handler = contextType.getMethod("handler").invoke(handlerContext);
      Object pipeline = contextType.getMethod("pipeline").invoke(handlerContext);
      Method toMap = pipelineType.getMethod("toMap");
      StringBuilder handlers = new StringBuilder();
      String firstClientHandler =
          handler != null && isClientCode(handler.getClass().getName())
              ? handler.getClass().getName()
              : null;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) toMap.invoke(pipeline)).entrySet()) {
        String type = entry.getValue().getClass().getName();
        if (handlers.length() > 0) {
          handlers.append(", ");
        }
        handlers.append(entry.getKey()).append('=').append(type);
        if (firstClientHandler == null && isClientCode(type)) {
          firstClientHandler = type;
        }
      }
      return new Pipeline(
          handler == null ? "unknown" : handler.getClass().getName(),
          handlers.toString(),
          firstClientHandler);
    }
  }
}
