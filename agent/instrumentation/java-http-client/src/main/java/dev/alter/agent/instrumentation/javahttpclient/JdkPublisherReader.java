package dev.alter.agent.instrumentation.javahttpclient;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.agent.injection.aws.BoundedDigest;
import dev.alter.agent.injection.aws.ClientBodyReader;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK's {@code HttpRequest.BodyPublisher}: only the JDK's own publishers that produce the same
 * bytes for every subscriber are read, by a second subscription that digests into a {@link
 * BoundedDigest}. In JDK 11 to 25, {@code ofByteArray}, {@code ofString} ({@code StringPublisher}
 * extends {@code ByteArrayPublisher}), {@code noBody} and {@code ofFile} build a fresh iteration
 * per subscription; {@code ofInputStream} may hand both subscribers one stream, {@code
 * ofByteArrays} may wrap a one-shot iterable, {@code fromPublisher} and {@code concat} wrap
 * publishers of unknown behaviour, so those are never read.
 */
final class JdkPublisherReader implements ClientBodyReader {
  private static final String JDK_PUBLISHERS = "jdk.internal.net.http.RequestPublishers$";
  private static final Set<String> RESUBSCRIBABLE =
      new HashSet<>(
          Arrays.asList(
              JDK_PUBLISHERS + "ByteArrayPublisher", JDK_PUBLISHERS + "StringPublisher",
              JDK_PUBLISHERS + "EmptyPublisher", JDK_PUBLISHERS + "FilePublisher"));

  private final long timeoutMillis;

  JdkPublisherReader(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public String family() {
    return OutgoingBody.JDK_PUBLISHER;
  }

  @Override
  public long contentLength(Object body) {
    return body instanceof HttpRequest.BodyPublisher
        ? ((HttpRequest.BodyPublisher) body).contentLength()
        : -1;
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    if (!(body instanceof HttpRequest.BodyPublisher)) {
      throw new BodyNotHashable("the body is not a java.net.http BodyPublisher");
    }
    HttpRequest.BodyPublisher publisher = (HttpRequest.BodyPublisher) body;
    if (!RESUBSCRIBABLE.contains(publisher.getClass().getName())) {
      throw new BodyNotHashable(
          "the body is a one-shot stream (a BodyPublisher other than ofByteArray, ofString, "
              + "ofFile or noBody cannot be read twice)");
    }
    long length = publisher.contentLength();
    if (length > limit) {
      throw BodyNotHashable.overLimit(length, limit);
    }
    DigestingSubscriber subscriber = new DigestingSubscriber(new BoundedDigest(limit));
    publisher.subscribe(subscriber);
    try {
      return subscriber.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      subscriber.cancel();
      throw new BodyNotHashable(
          "the BodyPublisher did not deliver the body within " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      throw BodyNotHashable.whileReading(e.getCause(), "the BodyPublisher", limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      subscriber.cancel();
      throw new BodyNotHashable("interrupted while reading the BodyPublisher");
    }
  }

  /** Digests every buffer; cancels the subscription as soon as the limit is passed. */
  private static final class DigestingSubscriber implements Flow.Subscriber<ByteBuffer> {
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final BoundedDigest digest;
    private volatile Flow.Subscription subscription;

    DigestingSubscriber(BoundedDigest digest) {
      this.digest = digest;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
      if (done.isDone()) {
        return;
      }
      try {
        digest.write(item);
      } catch (java.io.IOException overLimit) {
        cancel();
        done.completeExceptionally(overLimit);
      }
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      if (!done.isDone()) {
        done.complete(digest.hexDigest());
      }
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
