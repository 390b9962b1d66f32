package dev.alter.service.portal;

import io.javalin.http.Context;

/** A query parameter as the pages use it: blank is absent. */
final class QueryText {
  private QueryText() {}

  static String of(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
