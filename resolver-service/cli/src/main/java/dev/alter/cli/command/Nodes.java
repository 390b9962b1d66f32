package dev.alter.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reading the fields of API answers for text output; tolerant of absent or null fields. */
final class Nodes {
  private Nodes() {}

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  static String joined(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    node.path(field).forEach(v -> values.add(v.asText()));
    return String.join(", ", values);
  }

  /** {@code system:prod-monitoring}, {@code user:alice@idp_1}, {@code group:ops@idp_1}, … */
  static String principal(JsonNode principal) {
    String type = text(principal, "type");
    if (type == null) {
      return null;
    }
    switch (type) {
      case "system":
        return "system:" + text(principal, "label");
      case "user":
        return "user:" + text(principal, "user_id") + "@" + text(principal, "idp_id");
      case "group":
        return "group:" + text(principal, "external_group_id") + "@" + text(principal, "idp_id");
      case "agent":
        return "agent:" + text(principal, "agent_id");
      default:
        return type;
    }
  }

  /** The injection spec in one line; templates name parts in braces, never values. */
  static String injection(JsonNode injection) {
    String type = text(injection, "type");
    if (type == null) {
      return null;
    }
    switch (type) {
      case "header":
        {
          List<String> headers = new ArrayList<>();
          injection
              .path("headers")
              .forEach(
                  h ->
                      headers.add(
                          text(h, "name")
                              + ": "
                              + text(h, "template")
                              + (h.path("optional").asBoolean() ? " (optional)" : "")));
          return "header " + String.join("; ", headers);
        }
      case "basic":
        {
          String username = text(injection, "username");
          return username == null ? "basic" : "basic username=" + username;
        }
      case "query":
        return "query param=" + text(injection, "query_param");
      case "aws_sigv4":
        {
          String region = text(injection, "aws_region");
          String service = text(injection, "aws_service");
          return "aws_sigv4"
              + (region == null ? "" : " region=" + region)
              + (service == null ? "" : " service=" + service);
        }
      default:
        return type;
    }
  }

  /** {@code revoked}, {@code expired} or {@code active}. */
  static String grantStatus(JsonNode grant, Instant now) {
    if (text(grant, "revoked_at") != null) {
      return "revoked";
    }
    String expiresAt = text(grant, "expires_at");
    if (expiresAt != null) {
      try {
        if (!Instant.parse(expiresAt).isAfter(now)) {
          return "expired";
        }
      } catch (DateTimeParseException e) {
        return "active";
      }
    }
    return "active";
  }
}
