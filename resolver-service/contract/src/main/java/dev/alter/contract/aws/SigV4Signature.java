package dev.alter.contract.aws;

/** The result of signing: the header values to send plus the intermediates tests compare. */
public final class SigV4Signature {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";

  private final String canonicalRequest;
  private final String stringToSign;
  private final String signature;
  private final String signedHeaders;
  private final String authorization;

  SigV4Signature(
      String canonicalRequest,
      String stringToSign,
      String signature,
      String signedHeaders,
      String authorization) {
    this.canonicalRequest = canonicalRequest;
    this.stringToSign = stringToSign;
    this.signature = signature;
    this.signedHeaders = signedHeaders;
    this.authorization = authorization;
  }

  public String canonicalRequest() {
    return canonicalRequest;
  }

  public String stringToSign() {
    return stringToSign;
  }

  /** Lower-case hex HMAC. */
  public String signature() {
    return signature;
  }

  /** {@code host;x-amz-date;…} */
  public String signedHeaders() {
    return signedHeaders;
  }

  /** The {@code Authorization} header value. */
  public String authorization() {
    return authorization;
  }
}
