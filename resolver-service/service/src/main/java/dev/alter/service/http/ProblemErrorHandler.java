package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.Problem;
import dev.alter.service.JsonCodec;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a URI it will not route, a URI or headers too large, a request that is
 * not HTTP) as problem+json with a stable code, like every answer the routes give. The detail is
 * the code's fixed title: Jetty's message can quote the request.
 */
final class ProblemErrorHandler extends ErrorHandler {
  /** Jetty writes a body only for GET, POST and HEAD by default; every refusal here gets one. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(status)), callback);
  }

  /** Answers to requests Jetty could not parse, written before any handler runs. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(body(status));
  }

  static ErrorCode codeFor(int status) {
    return switch (status) {
      case 404, 405 -> ErrorCode.NOT_FOUND;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      // 505: the request line names no HTTP version Jetty speaks, the client's doing like a 4xx
      default ->
          status >= 400 && status < 500 || status == 505
              ? ErrorCode.MALFORMED_REQUEST
              : ErrorCode.INTERNAL_ERROR;
    };
  }

  private static byte[] body(int status) {
    ErrorCode code = codeFor(status);
    Problem problem = Problem.of(code, code.title());
    problem.setStatus(status);
    try {
      return JsonCodec.mapper().writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }
}
