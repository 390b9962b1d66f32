package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.contract.aws.SigV4Signer;

/**
 * The SHA-256 of the body a request is about to send, for {@code x-amz-content-sha256} and the
 * canonical request: empty bodies hash to the empty string's digest, buffered bytes are hashed in
 * place, and a client's own body object is read by its module's {@link ClientBodyReader} only when
 * it says it is repeatable and it fits within the limit. Anything else is {@link BodyNotHashable}.
 */
final class PayloadHasher {
  private final long limit;

  PayloadHasher(long limit) {
    this.limit = limit;
  }

  long limit() {
    return limit;
  }

  /**
   * @return lower-case hex SHA-256 of the body that will be sent
   */
  String sha256Hex(OutgoingBody body) throws BodyNotHashable {
    switch (body.kind()) {
      case NONE:
        return SigV4Signer.EMPTY_PAYLOAD_SHA256;
      case BYTES:
        return hashBytes((byte[]) body.content(), body.offset(), body.length());
      case CLIENT_OBJECT:
        return hashClientObject(body);
      case STREAMED:
        throw new BodyNotHashable(
            "the body is streamed after the headers are written"
                + (body.declaredLength() >= 0
                    ? " (" + Sizes.describe(body.declaredLength()) + ")"
                    : " (chunked)"));
      case UNKNOWN:
      default:
        throw new BodyNotHashable("the HTTP client does not expose the body before sending it");
    }
  }

  private String hashBytes(byte[] content, int offset, int length) throws BodyNotHashable {
    if (length > limit) {
      throw BodyNotHashable.overLimit(length, limit);
    }
    BoundedDigest digest = new BoundedDigest(limit);
    try {
      digest.write(content, offset, length);
    } catch (java.io.IOException overLimit) {
      throw BodyNotHashable.overLimit(length, limit);
    }
    return digest.hexDigest();
  }

  private String hashClientObject(OutgoingBody body) throws BodyNotHashable {
    ClientBodyReader reader = ClientBodyReaders.forFamily(body.family());
    if (reader == null) {
      throw new BodyNotHashable(
          "the body is of an HTTP client the agent cannot read ahead of sending ("
              + body.family()
              + ")");
    }
    return reader.sha256Hex(body.content(), limit);
  }
}
