package dev.alter.agent.injection.aws;

import java.lang.reflect.Method;

/**
 * Entities with the reading API Apache HttpCore 4 and 5 share ({@code isRepeatable()}, {@code
 * getContentLength()}, {@code writeTo(OutputStream)}): read when repeatable, by {@code writeTo}
 * into a {@link BoundedDigest}.
 */
public final class RepeatableEntityReader implements ClientBodyReader {
  private final String family;
  private final String entityType;
  private final String label;

  /**
   * @param entityType the public entity interface, e.g. {@code org.apache.http.HttpEntity}
   * @param label the client as the application's error message names it
   */
  public RepeatableEntityReader(String family, String entityType, String label) {
    this.family = family;
    this.entityType = entityType;
    this.label = label;
  }

  @Override
  public String family() {
    return family;
  }

  @Override
  public String sha256Hex(Object body, long limit) throws BodyNotHashable {
    Class<?> entity = Reflective.publicType(body, entityType);
    if (entity == null) {
      throw new BodyNotHashable("the body is not an " + entityType);
    }
    try {
      if (!(Boolean) Reflective.invoke(entity.getMethod("isRepeatable"), body)) {
        throw new BodyNotHashable(
            "the body is a one-shot stream (" + label + " entity is not repeatable)");
      }
      long length = (Long) Reflective.invoke(entity.getMethod("getContentLength"), body);
      if (length > limit) {
        throw BodyNotHashable.overLimit(length, limit);
      }
      BoundedDigest digest = new BoundedDigest(limit);
      Method writeTo = entity.getMethod("writeTo", java.io.OutputStream.class);
      Reflective.invoke(writeTo, body, digest);
      return digest.hexDigest();
    } catch (Exception | LinkageError e) {
      throw BodyNotHashable.whileReading(e, "the " + label + " entity", limit);
    }
  }
}
