package dev.alter.agent.instrumentation.okhttp;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.BodyNotHashable;
import dev.alter.agent.injection.aws.BoundedDigest;
import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.injection.aws.Reflective;
import java.io.OutputStream;
import java.lang.reflect.Method;

/**
 * {@code okhttp3.RequestBody}: read when {@code isOneShot()} is false (OkHttp 3.14+; older versions
 * only for their own {@code RequestBody.create(…)} and {@code FormBody} bodies), by {@code writeTo}
 * into an Okio sink over a {@link BoundedDigest}, so nothing is buffered. All through reflection:
 * this runs in the agent's class loader, which cannot see OkHttp.
 */
final class OkHttpBodyReader implements ClientBodyReader {
  @Override
  public String family() {
    return OutgoingBody.OKHTTP;
  }

  @Override
  public long contentLength(Object body) {
    Class<?> requestBody = Reflective.publicType(body, "okhttp3.RequestBody");
    if (requestBody == null) {
      return -1;
    }
    try {
      return (Long) Reflective.invoke(requestBody.getMethod("contentLength"), body);
    } catch (Exception | LinkageError e) {
      return -1;
    }
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    Class<?> requestBody = Reflective.publicType(body, "okhttp3.RequestBody");
    if (requestBody == null) {
      throw new BodyNotHashable("the body is not an okhttp3.RequestBody");
    }
    ClassLoader okhttp = requestBody.getClassLoader();
    try {
      Method isOneShot = Reflective.method(requestBody, "isOneShot");
      if (isOneShot != null
          ? (Boolean) Reflective.invoke(isOneShot, body)
          : !isOwnReplayableBody(body)) {
        throw new BodyNotHashable("the body is a one-shot stream (OkHttp RequestBody.isOneShot())");
      }
      long length = (Long) Reflective.invoke(requestBody.getMethod("contentLength"), body);
      if (length > limit) {
        throw BodyNotHashable.overLimit(length, limit);
      }
      Class<?> okio = Class.forName("okio.Okio", false, okhttp);
      Class<?> sinkType = Class.forName("okio.Sink", false, okhttp);
      Class<?> bufferedSinkType = Class.forName("okio.BufferedSink", false, okhttp);
      BoundedDigest digest = new BoundedDigest(limit);
      Object sink = Reflective.invoke(okio.getMethod("sink", OutputStream.class), null, digest);
      Object bufferedSink = Reflective.invoke(okio.getMethod("buffer", sinkType), null, sink);
      Reflective.invoke(requestBody.getMethod("writeTo", bufferedSinkType), body, bufferedSink);
      Reflective.invoke(bufferedSinkType.getMethod("flush"), bufferedSink);
      return digest.hexDigest();
    } catch (Exception | LinkageError e) {
      throw BodyNotHashable.whileReading(e, "the OkHttp body", limit);
    }
  }

  /**
   * Before OkHttp 3.14 no body says whether it is one-shot: trust only OkHttp's own in-memory and
   * file bodies.
   */
  private static boolean isOwnReplayableBody(Object body) {
    String name = body.getClass().getName();
    return name.equals("okhttp3.FormBody") || name.startsWith("okhttp3.RequestBody$");
  }
}
