package dev.alter.agent.injection.aws;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.contract.aws.SigV4Signer;
import java.util.HashMap;
import java.util.Map;

/**
 * The SHA-256 of the body a request is about to send, for {@code x-amz-content-sha256} and the
 * canonical request: empty bodies hash to the empty string's digest, buffered bytes are hashed in
 * place, and a client's own body object is read through its public API only when it says it is
 * repeatable and it fits within the limit. Anything else is {@link BodyNotHashable}.
 */
final class PayloadHasher {
  /** How long a JDK BodyPublisher may take to deliver a body read ahead of sending. */
  private static final long PUBLISHER_TIMEOUT_MILLIS = 5_000;

  private final long limit;
  private final Map<String, ClientBodyReader> readers = new HashMap<>();

  PayloadHasher(long limit) {
    this.limit = limit;
    readers.put(OutgoingBody.OKHTTP, new OkHttpBodyReader());
    readers.put(OutgoingBody.APACHE5, new ApacheEntityReader(ApacheEntityReader.HTTPCORE5_ENTITY, "Apache HttpClient 5"));
    readers.put(OutgoingBody.APACHE4, new ApacheEntityReader(ApacheEntityReader.HTTPCORE4_ENTITY, "Apache HttpClient 4"));
    readers.put(OutgoingBody.JDK_PUBLISHER, new JdkPublisherReader(PUBLISHER_TIMEOUT_MILLIS));
  }

  long limit() {
    return limit;
  }

  /** @return lower-case hex SHA-256 of the body that will be sent */
  String sha256Hex(OutgoingBody body) throws BodyNotHashable {
    switch (body.kind()) {
      case NONE:
        return SigV4Signer.EMPTY_PAYLOAD_SHA256;
      case BYTES:
        return hashBytes((byte[]) body.content(), body.offset(), body.length());
      case CLIENT_OBJECT:
        return hashClientObject(body);
      case STREAMED:
        throw new BodyNotHashable("the body is streamed after the headers are written"
            + (body.declaredLength() >= 0 ? " (" + Sizes.describe(body.declaredLength()) + ")" : " (chunked)"));
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
    if (OutgoingBody.APACHE5_ASYNC.equals(body.family())) {
      // producing into a channel is not repeatable from outside the client's exchange state
      throw new BodyNotHashable("the body is an Apache async entity producer, which cannot be read ahead of "
          + "sending");
    }
    ClientBodyReader reader = readers.get(body.family());
    if (reader == null) {
      throw new BodyNotHashable("the body is of an HTTP client the agent cannot read ahead of sending ("
          + body.family() + ")");
    }
    return reader.sha256Hex(body.content(), limit);
  }
}
