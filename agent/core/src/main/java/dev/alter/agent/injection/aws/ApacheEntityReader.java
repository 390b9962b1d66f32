package dev.alter.agent.injection.aws;

import java.lang.reflect.Method;

/**
 * Apache HttpClient entities, 5 ({@code org.apache.hc.core5.http.HttpEntity}) and 4
 * ({@code org.apache.http.HttpEntity}), which share the same reading API: read when
 * {@code isRepeatable()}, by {@code writeTo(OutputStream)} into a {@link BoundedDigest}.
 */
final class ApacheEntityReader implements ClientBodyReader {
  static final String HTTPCORE5_ENTITY = "org.apache.hc.core5.http.HttpEntity";
  static final String HTTPCORE4_ENTITY = "org.apache.http.HttpEntity";

  private final String entityType;
  private final String label;

  ApacheEntityReader(String entityType, String label) {
    this.entityType = entityType;
    this.label = label;
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    Class<?> entity = Reflective.publicType(body, entityType);
    if (entity == null) {
      throw new BodyNotHashable("the body is not an " + entityType);
    }
    try {
      if (!(Boolean) Reflective.invoke(entity.getMethod("isRepeatable"), body)) {
        throw new BodyNotHashable("the body is a one-shot stream (" + label + " entity is not repeatable)");
      }
      long length = (Long) Reflective.invoke(entity.getMethod("getContentLength"), body);
      if (length > limit) {
        throw BodyNotHashable.overLimit(length, limit);
      }
      BoundedDigest digest = new BoundedDigest(limit);
      Method writeTo = entity.getMethod("writeTo", java.io.OutputStream.class);
      Reflective.invoke(writeTo, body, digest);
      return digest.hexDigest();
    } catch (BodyNotHashable e) {
      throw e;
    } catch (BoundedDigest.OverLimit e) {
      throw BodyNotHashable.longerThan(limit);
    } catch (Exception | LinkageError e) {
      throw new BodyNotHashable("the " + label + " entity could not be read ahead of sending ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
