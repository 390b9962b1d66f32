package dev.alter.agent.resolver;

/**
 * A resolve answer and what the injection layer prepared from it ({@link AnswerPreparer}), made
 * once when the answer enters the cache and handed out as is on every request it serves.
 *
 * @param <P> the prepared form
 */
public final class PreparedAnswer<P> {
  private final ResolvedCredential credential;
  private final P prepared;

  PreparedAnswer(ResolvedCredential credential, P prepared) {
    this.credential = credential;
    this.prepared = prepared;
  }

  public ResolvedCredential credential() {
    return credential;
  }

  /** The prepared form, or null when the answer has none (it is built per request). */
  public P prepared() {
    return prepared;
  }

  /** Never shows values: the prepared form may hold the credential. */
  @Override
  public String toString() {
    return "PreparedAnswer{" + credential + "}";
  }
}
