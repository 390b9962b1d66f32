package dev.alter.service.portal;

import dev.alter.contract.InjectionSpec;
import java.util.ArrayList;
import java.util.List;

/** A one-line, human-readable account of how a secret is injected (templates print it escaped). */
public final class InjectionText {
  private InjectionText() {}

  public static String of(InjectionSpec spec) {
    if (spec == null) {
      return "defined by the operator";
    }
    return switch (String.valueOf(spec.getType())) {
      case InjectionSpec.HEADER -> {
        List<String> headers = new ArrayList<>();
        for (InjectionSpec.HeaderTemplate h : spec.getHeaders()) {
          headers.add(
              h.getName() + ": " + h.getTemplate() + (h.isOptional() ? " (if stored)" : ""));
        }
        yield "header " + String.join("; ", headers);
      }
      case InjectionSpec.BASIC ->
          "HTTP Basic"
              + (spec.getUsername() == null ? "" : ", username " + spec.getUsername())
              + ", password {credential}";
      case InjectionSpec.QUERY -> "query parameter " + spec.getQueryParam() + "={credential}";
      case InjectionSpec.AWS_SIGV4 ->
          "AWS SigV4 signature"
              + (spec.getAwsRegion() == null ? "" : ", region " + spec.getAwsRegion())
              + (spec.getAwsService() == null ? "" : ", service " + spec.getAwsService());
      default -> spec.getType();
    };
  }
}
