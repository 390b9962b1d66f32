package dev.alter.agent.bootstrap;

import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands a refused request's {@link AlterCredentialException} to the event-loop client that wrote
 * it, when failing the write's promise is not enough: a client may write a request and never look
 * at the write's outcome. Reactor Netty does so whenever the request's outbound publisher completes
 * without sending headers (every {@code WebClient} and {@code ReactorClientHttpRequestFactory} call
 * without a body): it writes the request itself and ignores the future, so a failed write alone
 * leaves the call waiting for a response that never comes.
 *
 * <p>Reactor Netty keeps the channel's current {@code ChannelOperations} (the subscriber of the
 * outbound publisher) in the channel attribute {@link #REACTOR_NETTY_CONNECTION}. Its {@code
 * onError} is Reactor Netty's own way into an outbound failure: while the request is still being
 * sent it fails the response with the refusal; once the publisher has completed it keeps the
 * refusal as the cause of the {@code PrematureCloseException} that closing the channel then
 * signals. Other clients (Vert.x, AsyncHttpClient) learn of it through {@code exceptionCaught}.
 */
public final class RefusedRequests {
  private static final Logger LOG = Logger.getLogger("dev.alter.agent");

  /** {@code reactor.netty.ReactorNetty.CONNECTION}. */
  public static final String REACTOR_NETTY_CONNECTION = "$CONNECTION";

  private RefusedRequests() {}

  /**
   * Passes {@code refusal} to Reactor Netty's operations bound to the channel, if {@code bound}
   * (the channel's {@link #REACTOR_NETTY_CONNECTION} attribute) is one.
   *
   * @return true when the channel is Reactor Netty's (told now, or its operations already ended
   *     through the failed write); false when the caller signals the refusal on the pipeline
   */
  public static boolean toldReactorNetty(Object bound, Throwable refusal) {
    if (bound == null || !bound.getClass().getName().startsWith("reactor.netty.")) {
      return false;
    }
    try {
      Class<?> subscriber =
          Class.forName("org.reactivestreams.Subscriber", false, bound.getClass().getClassLoader());
      if (!subscriber.isInstance(bound)) {
        // the operations ended (the write's failure reached them) and the connection is bound
        return true;
      }
      Method onError = subscriber.getMethod("onError", Throwable.class);
      onError.invoke(bound, refusal);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(
          Level.FINE,
          "Reactor Netty's operations could not be told of a refusal: {0}",
          e.getClass().getName());
      return false;
    }
  }
}
