package dev.alter.agent.instrumentation.apache.httpclient5;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.agent.injection.aws.BoundedDigest;
import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.injection.aws.Reflective;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HttpCore 5's {@code AsyncEntityProducer} (the async clients' request bodies): read when {@code
 * isRepeatable()}, by calling {@code produce} with a channel that only hashes, then rewound with
 * {@code releaseResources()} — what HttpClient's own {@code AsyncHttpRequestRetryExec} does before
 * it sends the same producer again. Reading stops once the body passes the limit, and a producer
 * that hands over nothing for a few calls in a row (one waiting for data) is not waited for: the
 * hook runs on an I/O reactor thread, and repeatable producers hold their body in memory or a file.
 *
 * <p>HttpCore before 5.2.2 rewinds a {@code BasicAsyncEntityProducer} made from text past its end
 * (HTTPCORE-733: the body would gain trailing bytes), and the producer the hook sees is the
 * client's wrapper, which does not tell what it wraps; bodies on those versions are not read.
 *
 * <p>{@link #contentLength} stays unknown (a grant's {@code max_body_bytes} goes by the framing
 * headers): HTTP/2 sends no {@code content-length} for these bodies, so nothing on the wire holds
 * the producer to the length it declares.
 *
 * <p>All through reflection and a {@link Proxy} of {@code DataStreamChannel}: this runs in the
 * agent's class loader, which cannot see HttpCore.
 */
final class AsyncEntityProducerReader implements ClientBodyReader {
  static final String PRODUCER = "org.apache.hc.core5.http.nio.AsyncEntityProducer";
  private static final String CHANNEL = "org.apache.hc.core5.http.nio.DataStreamChannel";
  private static final String LABEL = "the Apache HttpClient 5 async entity producer";

  private static final Pattern RELEASE =
      Pattern.compile("(\\d{1,6})(?:\\.(\\d{1,6}))?(?:\\.(\\d{1,6}))?");

  /** {@code produce} calls in a row that hand over nothing before the reader gives up. */
  private static final int IDLE_CALLS_ALLOWED = 3;

  private static final ClassValue<String> REPLAY_PROBLEM =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> producerType) {
          return replayProblem(httpCoreVersion(producerType));
        }
      };

  @Override
  public String family() {
    return OutgoingBody.APACHE5_ASYNC;
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    Class<?> producer = Reflective.publicType(body, PRODUCER);
    if (producer == null) {
      throw new BodyNotHashable("the body is not an HttpCore 5 AsyncEntityProducer");
    }
    Method produce;
    Object channel;
    HashingChannel hashing = new HashingChannel(limit);
    try {
      if (!(Boolean) Reflective.invoke(producer.getMethod("isRepeatable"), body)) {
        throw new BodyNotHashable(
            "the body is a one-shot stream (Apache HttpClient 5 async entity producer is not"
                + " repeatable)");
      }
      String replayProblem = REPLAY_PROBLEM.get(producer);
      if (replayProblem != null) {
        throw new BodyNotHashable(replayProblem);
      }
      long length = (Long) Reflective.invoke(producer.getMethod("getContentLength"), body);
      if (length > limit) {
        throw BodyNotHashable.overLimit(length, limit);
      }
      Class<?> channelType = Class.forName(CHANNEL, false, producer.getClassLoader());
      produce = producer.getMethod("produce", channelType);
      channel =
          Proxy.newProxyInstance(
              channelType.getClassLoader(), new Class<?>[] {channelType}, hashing);
    } catch (Exception | LinkageError e) {
      throw BodyNotHashable.whileReading(e, LABEL, limit);
    }

    BodyNotHashable failure = null;
    try {
      drain(body, produce, channel, hashing);
    } catch (Exception | LinkageError e) {
      failure = BodyNotHashable.whileReading(e, LABEL, limit);
    }
    try {
      Reflective.invoke(producer.getMethod("releaseResources"), body);
    } catch (Exception | LinkageError e) {
      throw BodyNotHashable.unsendable(
          LABEL + " could not be rewound after it was read (" + e.getClass().getSimpleName() + ")");
    }
    if (failure != null) {
      throw failure;
    }
    if (hashing.overLimit) {
      throw BodyNotHashable.longerThan(limit);
    }
    return hashing.digest.hexDigest();
  }

  private static void drain(Object body, Method produce, Object channel, HashingChannel hashing)
      throws Exception {
    int idleCalls = 0;
    while (!hashing.ended && !hashing.overLimit) {
      long before = hashing.count;
      Reflective.invoke(produce, body, channel);
      if (hashing.ended || hashing.overLimit) {
        return;
      }
      if (hashing.count == before && ++idleCalls >= IDLE_CALLS_ALLOWED) {
        throw new BodyNotHashable(LABEL + " did not hand over its whole body at once");
      } else if (hashing.count != before) {
        idleCalls = 0;
      }
    }
  }

  /**
   * Why bodies of this HttpCore cannot be rewound intact, or null when they can.
   *
   * @param version e.g. {@code 5.4.4}; null when unknown
   */
  static String replayProblem(String version) {
    if (version == null) {
      return "the HttpCore 5 version could not be told, so the body is not read ahead of sending";
    }
    // the numbers before any qualifier: 5.2-beta2 is 5.2.0, 5.2.2-RC1 is 5.2.2
    Matcher release = RELEASE.matcher(version.trim());
    int[] parts = new int[3];
    if (release.lookingAt()) {
      for (int i = 0; i < parts.length; i++) {
        String part = release.group(i + 1);
        parts[i] = part == null ? 0 : Integer.parseInt(part);
      }
    }
    boolean replays =
        parts[0] > 5 || parts[0] == 5 && (parts[1] > 2 || parts[1] == 2 && parts[2] >= 2);
    return replays
        ? null
        : "HttpCore "
            + version.trim()
            + " cannot replay every async body it has produced (HTTPCORE-733, fixed in 5.2.2),"
            + " so the body is not read ahead of sending";
  }

  /** HttpCore's own release number ({@code version.properties}), else its jar manifest's. */
  private static String httpCoreVersion(Class<?> producerType) {
    try (InputStream in =
        producerType.getResourceAsStream("/org/apache/hc/core5/version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String release = properties.getProperty("info.release");
        if (release != null && !release.trim().isEmpty() && release.trim().charAt(0) != '$') {
          return release.trim();
        }
      }
    } catch (Exception e) {
      // fall back to the manifest
    }
    Package p = producerType.getPackage();
    return p == null ? null : p.getImplementationVersion();
  }

  /**
   * The {@code DataStreamChannel} handed to {@code produce}: takes every byte offered (so the
   * producer's own buffers drain as in a real send), hashes up to the limit, and notes the end.
   */
  private static final class HashingChannel implements InvocationHandler {
    final BoundedDigest digest;
    long count;
    boolean ended;
    boolean overLimit;

    HashingChannel(long limit) {
      this.digest = new BoundedDigest(limit);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "write":
          if (args != null && args.length == 1 && args[0] instanceof ByteBuffer) {
            return write((ByteBuffer) args[0]);
          }
          break;
        case "endStream":
          ended = true;
          return null;
        case "requestOutput":
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "alter-hashing-channel";
        default:
          break;
      }
      throw new UnsupportedOperationException(method.getName());
    }

    private int write(ByteBuffer src) throws java.io.IOException {
      int n = src.remaining();
      if (ended) {
        throw new IllegalStateException("write after the end of the stream");
      }
      count += n;
      if (!overLimit) {
        try {
          digest.write(src);
        } catch (BoundedDigest.OverLimit e) {
          overLimit = true;
        }
      }
      src.position(src.limit());
      return n;
    }
  }
}
