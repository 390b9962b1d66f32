package dev.alter.agent.injection.aws;

/**
 * Why a request body cannot be hashed for a signature, in words for the application's error message
 * (e.g. "the body is a one-shot stream"). Never carries body content.
 */
public final class BodyNotHashable extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean bodyUnsendable;

  public BodyNotHashable(String reason) {
    this(reason, false);
  }

  private BodyNotHashable(String reason, boolean bodyUnsendable) {
    super(reason, null, false, false);
    this.bodyUnsendable = bodyUnsendable;
  }

  /**
   * Reading the body failed in a way that may have left it unable to replay from its start: the
   * request must not go out at all, not even unsigned.
   */
  public static BodyNotHashable unsendable(String reason) {
    return new BodyNotHashable(reason, true);
  }

  /** The body's size is known and over the limit. */
  public static BodyNotHashable overLimit(long size, long limit) {
    return new BodyNotHashable(
        "the body is "
            + Sizes.describe(size)
            + ", over the "
            + Sizes.describe(limit)
            + " signing limit");
  }

  /** Reading stopped at the limit; the full size is unknown. */
  public static BodyNotHashable longerThan(long limit) {
    return new BodyNotHashable(
        "the body is longer than the " + Sizes.describe(limit) + " signing limit");
  }

  /**
   * What a failure while a reader read {@code body} (e.g. "the OkHttp body") means: the reader's
   * own refusal as it is, the digest's limit as "longer than", anything else by its type only (a
   * library's message may quote the body).
   */
  public static BodyNotHashable whileReading(Throwable failure, String body, long limit) {
    if (failure instanceof BodyNotHashable) {
      return (BodyNotHashable) failure;
    }
    if (failure instanceof BoundedDigest.OverLimit) {
      return longerThan(limit);
    }
    return new BodyNotHashable(
        body + " could not be read ahead of sending (" + failure.getClass().getSimpleName() + ")");
  }

  String reason() {
    return getMessage();
  }

  /** See {@link #unsendable}. */
  public boolean bodyUnsendable() {
    return bodyUnsendable;
  }
}
