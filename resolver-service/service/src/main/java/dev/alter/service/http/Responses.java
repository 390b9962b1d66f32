package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.Problem;
import dev.alter.service.JsonCodec;
import io.javalin.http.Context;

/** Writes JSON and problem+json answers. */
final class Responses {
  /** Built once: the mapper's own write methods set up a writer per call. */
  private static final ObjectWriter WRITER = JsonCodec.mapper().writer();

  private Responses() {}

  static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(WRITER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  static void problem(Context ctx, ErrorCode code, String detail, String grantId) {
    Problem p = Problem.of(code, detail);
    if (grantId != null) {
      p.withGrantId(grantId);
    }
    try {
      ctx.status(code.httpStatus())
          .contentType(Problem.MEDIA_TYPE)
          .result(WRITER.writeValueAsBytes(p));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a problem", e);
    }
  }
}
