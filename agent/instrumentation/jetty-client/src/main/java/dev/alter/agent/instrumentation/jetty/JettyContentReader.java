package dev.alter.agent.instrumentation.jetty;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.agent.injection.aws.BoundedDigest;
import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.injection.aws.Reflective;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;

/**
 * A Jetty request's {@code Request.Content}, read without disturbing what Jetty sends:
 *
 * <ul>
 *   <li>Jetty 12: a {@code ByteBufferContentSource} (the bytes, string and form contents) hands out
 *       slices of its buffers, so the buffers {@code getByteBuffers()} returns are hashed as they
 *       are. Other sources (streams, files, async contents) are not read.
 *   <li>Jetty 10 and 11: a content whose {@code isReproducible()} is true serves every subscriber
 *       from its start, so a subscription of the reader's own is demanded to the end; a content
 *       that hands over nothing for a few demands in a row is not waited for.
 * </ul>
 *
 * Never more than the limit is hashed. All through reflection: this runs in the agent's class
 * loader, which cannot see Jetty.
 */
final class JettyContentReader implements ClientBodyReader {
  private static final String JETTY_12_BUFFERS =
      "org.eclipse.jetty.io.content.ByteBufferContentSource";
  private static final String JETTY_12_CONTENT = "org.eclipse.jetty.client.Request$Content";
  private static final String JETTY_11_CONTENT = "org.eclipse.jetty.client.api.Request$Content";
  private static final String JETTY_11_CONSUMER =
      "org.eclipse.jetty.client.api.Request$Content$Consumer";
  private static final String LABEL = "the Jetty request content";

  /** {@code demand()} calls in a row that hand over nothing before the reader gives up. */
  private static final int IDLE_DEMANDS_ALLOWED = 3;

  @Override
  public String family() {
    return OutgoingBody.JETTY;
  }

  /** The length Jetty declares for the content (sent as {@code Content-Length}), or -1. */
  @Override
  public long contentLength(Object body) {
    try {
      Class<?> content = contentType(body);
      return content == null ? -1 : (Long) Reflective.invoke(content.getMethod("getLength"), body);
    } catch (Exception | LinkageError e) {
      return -1;
    }
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    try {
      Class<?> buffers = Reflective.publicType(body, JETTY_12_BUFFERS);
      if (buffers != null) {
        return hashBuffers(body, buffers, limit);
      }
      Class<?> reproducible = Reflective.publicType(body, JETTY_11_CONTENT);
      if (reproducible != null) {
        return hashSubscription(body, reproducible, limit);
      }
      if (Reflective.publicType(body, JETTY_12_CONTENT) != null) {
        throw new BodyNotHashable(
            "the body is a Jetty content the agent does not read ahead of sending ("
                + body.getClass().getSimpleName()
                + "; bytes, string and form contents are read)");
      }
      throw new BodyNotHashable("the body is not a Jetty Request.Content");
    } catch (Exception | LinkageError e) {
      throw BodyNotHashable.whileReading(e, LABEL, limit);
    }
  }

  private static Class<?> contentType(Object body) {
    Class<?> content = Reflective.publicType(body, JETTY_12_CONTENT);
    return content != null ? content : Reflective.publicType(body, JETTY_11_CONTENT);
  }

  private static String hashBuffers(Object body, Class<?> source, long limit) throws Exception {
    long length = (Long) Reflective.invoke(source.getMethod("getLength"), body);
    if (length > limit) {
      throw BodyNotHashable.overLimit(length, limit);
    }
    BoundedDigest digest = new BoundedDigest(limit);
    for (Object buffer :
        (Iterable<?>) Reflective.invoke(source.getMethod("getByteBuffers"), body)) {
      // the source sends slices of these buffers: a duplicate leaves their positions alone
      digest.write(((ByteBuffer) buffer).duplicate());
    }
    return digest.hexDigest();
  }

  private static String hashSubscription(Object body, Class<?> content, long limit)
      throws Exception {
    if (!(Boolean) Reflective.invoke(content.getMethod("isReproducible"), body)) {
      throw new BodyNotHashable(
          "the body is a one-shot stream (Jetty Request.Content is not reproducible)");
    }
    long length = (Long) Reflective.invoke(content.getMethod("getLength"), body);
    if (length > limit) {
      throw BodyNotHashable.overLimit(length, limit);
    }
    ClassLoader jetty = content.getClassLoader();
    Class<?> consumerType = Class.forName(JETTY_11_CONSUMER, false, jetty);
    HashingConsumer hashing = new HashingConsumer(limit);
    Object consumer =
        Proxy.newProxyInstance(
            consumerType.getClassLoader(), new Class<?>[] {consumerType}, hashing);
    Object subscription =
        Reflective.invoke(
            content.getMethod("subscribe", consumerType, boolean.class), body, consumer, false);
    Class<?> subscriptionType = Reflective.publicType(subscription, subscriptionTypeName());
    Method demand = subscriptionType.getMethod("demand");
    try {
      int idle = 0;
      while (!hashing.last && !hashing.overLimit) {
        int before = hashing.calls;
        Reflective.invoke(demand, subscription);
        if (hashing.failure != null) {
          throw BodyNotHashable.whileReading(hashing.failure, LABEL, limit);
        }
        if (hashing.calls == before && ++idle >= IDLE_DEMANDS_ALLOWED) {
          throw new BodyNotHashable(LABEL + " did not hand over its whole body at once");
        } else if (hashing.calls != before) {
          idle = 0;
        }
      }
    } finally {
      if (!hashing.last) {
        // the reader's own subscription stops early: let the content free what it holds for it
        // (a file content's channel and buffers)
        try {
          Reflective.invoke(
              subscriptionType.getMethod("fail", Throwable.class),
              subscription,
              new java.util.concurrent.CancellationException("read ahead of sending stopped"));
        } catch (Exception | LinkageError ignored) {
          // the subscription is the reader's alone; Jetty's own is untouched either way
        }
      }
    }
    if (hashing.overLimit) {
      throw BodyNotHashable.longerThan(limit);
    }
    return hashing.digest.hexDigest();
  }

  private static String subscriptionTypeName() {
    return "org.eclipse.jetty.client.api.Request$Content$Subscription";
  }

  /**
   * The reader's own Jetty 10/11 {@code Request.Content.Consumer}: hashes each chunk (a duplicate:
   * the content's buffers are left as they are), completes its callback so the content goes on.
   */
  private static final class HashingConsumer implements InvocationHandler {
    final BoundedDigest digest;
    int calls;
    boolean last;
    boolean overLimit;
    Throwable failure;

    HashingConsumer(long limit) {
      this.digest = new BoundedDigest(limit);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "onContent":
          calls++;
          ByteBuffer chunk = (ByteBuffer) args[0];
          if (args[1] instanceof Boolean && (Boolean) args[1]) {
            last = true;
          }
          if (!overLimit && chunk != null) {
            try {
              digest.write(chunk.duplicate());
            } catch (BoundedDigest.OverLimit e) {
              overLimit = true;
            }
          }
          Object callback = args[2];
          if (callback != null) {
            Method succeeded = Reflective.method(publicCallback(callback), "succeeded");
            if (succeeded != null) {
              Reflective.invoke(succeeded, callback);
            }
          }
          return null;
        case "onFailure":
          failure = (Throwable) args[0];
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "alter-hashing-consumer";
        default:
          if (method.isDefault()) {
            return null;
          }
          throw new UnsupportedOperationException(method.getName());
      }
    }

    private static Class<?> publicCallback(Object callback) {
      Class<?> type = Reflective.publicType(callback, "org.eclipse.jetty.util.Callback");
      return type != null ? type : callback.getClass();
    }
  }
}
