package dev.alter.service.portal;

import dev.alter.contract.InjectionSpec;
import java.util.List;
import java.util.Map;

/** Labels and field kinds the secret forms show for a provider's credential parts. */
public final class FormText {
  private static final Map<String, String> PART_LABELS =
      Map.of(
          "application_key", "Datadog application key (optional)",
          "secret_access_key", "AWS secret access key",
          "session_token", "AWS session token (optional, for temporary credentials)",
          "session_expires_at", "Session expires at (RFC 3339, optional)");

  private FormText() {}

  public static String partLabel(String part) {
    return PART_LABELS.getOrDefault(part, part.replace('_', ' '));
  }

  /** Parts that are secret are password fields; an expiry time is not. */
  public static boolean partIsSecret(String part) {
    return !part.endsWith("_at");
  }

  public static String credentialLabel(String providerId) {
    return switch (providerId) {
      case "aws" -> "AWS access key id";
      case "twilio" -> "Twilio auth token";
      case "datadog" -> "Datadog API key";
      default -> "Credential (API key or token)";
    };
  }

  /** The provider asks for a Basic username at store time (Twilio's account SID). */
  public static boolean needsBasicUsername(InjectionSpec catalogInjection) {
    return catalogInjection != null
        && InjectionSpec.BASIC.equals(catalogInjection.getType())
        && catalogInjection.getUsername() == null;
  }

  public static String lines(List<String> values) {
    return values == null ? "" : String.join("\n", values);
  }

  public static String header(InjectionSpec spec, int index, boolean template) {
    if (spec == null || spec.getHeaders() == null || spec.getHeaders().size() <= index) {
      return index == 0 && template ? "Bearer {credential}" : "";
    }
    InjectionSpec.HeaderTemplate h = spec.getHeaders().get(index);
    return template ? h.getTemplate() : h.getName();
  }

  public static String field(String value) {
    return value == null ? "" : value;
  }
}
