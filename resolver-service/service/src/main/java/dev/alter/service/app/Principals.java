package dev.alter.service.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.alter.service.JsonCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Validates grant principals and renders them for storage and audit. */
public final class Principals {
  static final String SYSTEM = "system";
  static final String USER = "user";
  static final String GROUP = "group";
  static final String AGENT = "agent";

  private static final Pattern IDP_ID = Pattern.compile("idp_[A-Za-z0-9_-]{1,64}");
  private static final Pattern AGENT_ID = Pattern.compile("agt_[A-Za-z0-9_-]{1,64}");

  private Principals() {}

  /** The principal as stored: its type plus only the fields that type uses. */
  static Map<String, String> validate(Requests.Principal p) {
    if (p == null) {
      throw ApiException.invalid("principal is required");
    }
    if (p.type() == null) {
      throw ApiException.invalid("principal.type is required (system, user, group or agent)");
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("type", p.type());
    switch (p.type()) {
      case SYSTEM -> {
        only(p, "label");
        out.put("label", text("principal.label", p.label(), 128));
      }
      case USER -> {
        only(p, "user_id", "idp_id");
        out.put("user_id", text("principal.user_id", p.userId(), 256));
        out.put("idp_id", id("principal.idp_id", p.idpId(), IDP_ID, "idp_…"));
      }
      case GROUP -> {
        only(p, "external_group_id", "idp_id");
        out.put("external_group_id", text("principal.external_group_id", p.externalGroupId(), 256));
        out.put("idp_id", id("principal.idp_id", p.idpId(), IDP_ID, "idp_…"));
      }
      case AGENT -> {
        only(p, "agent_id");
        out.put("agent_id", id("principal.agent_id", p.agentId(), AGENT_ID, "agt_…"));
      }
      default -> throw ApiException.invalid("principal.type must be system, user, group or agent");
    }
    return out;
  }

  /** A short identifier for audit records, e.g. {@code system:prod-monitoring}. */
  public static String describe(Map<String, String> p) {
    return switch (p.getOrDefault("type", "")) {
      case SYSTEM -> "system:" + p.get("label");
      case USER -> "user:" + p.get("idp_id") + "/" + p.get("user_id");
      case GROUP -> "group:" + p.get("idp_id") + "/" + p.get("external_group_id");
      case AGENT -> "agent:" + p.get("agent_id");
      default -> "unknown";
    };
  }

  static String toJson(Map<String, String> principal) {
    try {
      return JsonCodec.mapper().writeValueAsString(principal);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a principal", e);
    }
  }

  static Map<String, String> parse(String json) {
    try {
      return JsonCodec.mapper()
          .readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored principal is unreadable", e);
    }
  }

  private static void only(Requests.Principal p, String... allowed) {
    java.util.Set<String> ok = java.util.Set.of(allowed);
    Map<String, String> present = new LinkedHashMap<>();
    present.put("label", p.label());
    present.put("user_id", p.userId());
    present.put("idp_id", p.idpId());
    present.put("external_group_id", p.externalGroupId());
    present.put("agent_id", p.agentId());
    present.forEach(
        (k, v) -> {
          if (v != null && !ok.contains(k)) {
            throw ApiException.invalid(
                "principal." + k + " does not apply to principal.type " + p.type());
          }
        });
  }

  private static String text(String field, String value, int max) {
    if (value == null
        || value.isBlank()
        || value.length() > max
        || SecretValidation.hasControl(value)) {
      throw ApiException.invalid(
          field + " is required: 1-" + max + " characters without control characters");
    }
    return value;
  }

  private static String id(String field, String value, Pattern pattern, String shape) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw ApiException.invalid(field + " is required and must look like " + shape);
    }
    return value;
  }
}
