package dev.alter.agent.injection.aws;

/** The raw request target split as SigV4 needs it: path and query exactly as written, no fragment. */
final class RequestTarget {
  final String rawPath;
  /** null when the target has no {@code ?} */
  final String rawQuery;

  private RequestTarget(String rawPath, String rawQuery) {
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
  }

  static RequestTarget parse(String pathAndQuery) {
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
