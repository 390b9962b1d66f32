package dev.alter.service.http;

import dev.alter.service.app.ApiException;
import io.javalin.http.Context;
import java.util.List;

final class QueryParams {
  private QueryParams() {}

  /** The parameter's value, null when absent; given twice or empty is a validation error. */
  static String single(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1 || values.get(0).isEmpty()) {
      throw ApiException.invalid("query parameter '" + name + "' must be given once, with a value");
    }
    return values.get(0);
  }
}
