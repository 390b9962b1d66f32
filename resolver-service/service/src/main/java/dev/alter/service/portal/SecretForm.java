package dev.alter.service.portal;

import dev.alter.contract.InjectionSpec;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Requests;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the portal's secret forms into the same request records the REST API reads, so the portal
 * and the API share {@link dev.alter.service.app.SecretService}'s validation. The credential and
 * its parts go from the form into the request and nowhere else.
 */
final class SecretForm {
  static final String PART_PREFIX = "part_";

  private SecretForm() {}

  static Requests.CreateSecret create(Context ctx, String appId) {
    return new Requests.CreateSecret(
        appId,
        text(ctx, "provider"),
        text(ctx, "label"),
        raw(ctx, "credential"),
        parts(ctx),
        injection(ctx),
        destinations(ctx),
        checked(ctx, "allow_plain_http"),
        number(ctx, "ttl_seconds"));
  }

  static Requests.RotateCredential rotate(Context ctx) {
    return new Requests.RotateCredential(raw(ctx, "credential"), parts(ctx));
  }

  static Requests.UpdateSecret update(Context ctx) {
    return new Requests.UpdateSecret(
        text(ctx, "label"),
        destinations(ctx),
        checked(ctx, "allow_plain_http"),
        number(ctx, "ttl_seconds"),
        injection(ctx));
  }

  /** The credential parts filled in ({@code part_<name>} fields); null when none. */
  private static Map<String, String> parts(Context ctx) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String name : ctx.formParamMap().keySet()) {
      if (name.startsWith(PART_PREFIX)) {
        String value = raw(ctx, name);
        if (value != null) {
          parts.put(name.substring(PART_PREFIX.length()), value);
        }
      }
    }
    return parts.isEmpty() ? null : parts;
  }

  /** Null keeps the catalog's (or the stored) injection. */
  private static InjectionSpec injection(Context ctx) {
    String type = text(ctx, "injection_type");
    if (type == null) {
      return null;
    }
    return switch (type) {
      case InjectionSpec.HEADER -> {
        List<InjectionSpec.HeaderTemplate> headers = new ArrayList<>();
        for (String prefix : List.of("header", "header2")) {
          String name = text(ctx, prefix + "_name");
          if (name != null) {
            headers.add(
                new InjectionSpec.HeaderTemplate(
                    name, text(ctx, prefix + "_template"), checked(ctx, prefix + "_optional")));
          }
        }
        yield InjectionSpec.headers(headers);
      }
      case InjectionSpec.BASIC -> InjectionSpec.basic(text(ctx, "basic_username"));
      case InjectionSpec.QUERY -> InjectionSpec.query(text(ctx, "query_param"));
      case InjectionSpec.AWS_SIGV4 ->
          InjectionSpec.awsSigV4(text(ctx, "aws_region"), text(ctx, "aws_service"));
      default -> throw ApiException.invalid("injection type must be header, basic, query or aws");
    };
  }

  /** One destination per line; null (the provider's defaults, or unchanged) when empty. */
  private static List<String> destinations(Context ctx) {
    String text = ctx.formParam("destinations");
    if (text == null || text.isBlank()) {
      return null;
    }
    List<String> list = new ArrayList<>();
    for (String line : text.split("[\\r\\n]+")) {
      if (!line.isBlank()) {
        list.add(line.trim());
      }
    }
    return list;
  }

  static String text(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Secret values are taken as typed (only an empty field is absent). */
  private static String raw(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  static boolean checked(Context ctx, String name) {
    return ctx.formParam(name) != null;
  }

  static Integer number(Context ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name.replace('_', ' ') + " must be a whole number");
    }
  }
}
