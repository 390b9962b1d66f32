package dev.alter.agent.injection;

/**
 * A raw request target split into path and query exactly as written, without the fragment: what
 * SigV4 signs and where query injection appends its parameter.
 */
public final class RequestTarget {
  public final String rawPath;

  /** null when the target has no {@code ?} */
  public final String rawQuery;

  private RequestTarget(String rawPath, String rawQuery) {
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
  }

  public static RequestTarget parse(String pathAndQuery) {
    String target = pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery;
    int hash = target.indexOf('#');
    if (hash >= 0) {
      target = target.substring(0, hash);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    return new RequestTarget(path.isEmpty() ? "/" : path, q < 0 ? null : target.substring(q + 1));
  }
}
