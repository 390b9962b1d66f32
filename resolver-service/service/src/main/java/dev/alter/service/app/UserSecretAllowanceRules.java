package dev.alter.service.app;

import dev.alter.contract.DestinationPattern;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.WireFormat;
import dev.alter.service.catalog.Provider;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What an operator may allow an app's users to upload: the provider's catalog entry, or narrower.
 * Users' keys go only over HTTPS, only to hosts the catalog entry's destinations name (the operator
 * may pick a subset and a port), and are injected the catalog's way (all its headers, or a subset
 * that keeps the one carrying {@code credential}). Providers without a catalog entry to bound them
 * ({@code custom}) or whose credential needs more parts than the one key a user pastes are refused.
 */
final class UserSecretAllowanceRules {
  static final int MAX_IDPS = 16;
  static final int MAX_PER_USER = 100;

  private UserSecretAllowanceRules() {}

  static boolean uploadable(Provider provider) {
    return !provider.operatorDefined() && provider.requiredParts().isEmpty();
  }

  static void requireUploadable(Provider provider) {
    if (provider.operatorDefined()) {
      throw ApiException.invalid(
          "provider 'custom' has no catalog entry to bound where a user's key may go; "
              + "users may upload keys of catalog providers only");
    }
    if (!provider.requiredParts().isEmpty()) {
      throw ApiException.invalid(
          "provider '"
              + provider.id()
              + "' needs credential parts besides the key ("
              + String.join(", ", provider.requiredParts())
              + "); a user upload carries one key");
    }
  }

  /** The operator's destinations, each an HTTPS host the catalog entry covers; default: all. */
  static List<String> destinations(List<String> given, Provider provider) {
    if (given == null) {
      return provider.destinations();
    }
    List<String> canonical = SecretValidation.destinations(given, false, provider);
    DestinationPolicy catalog = DestinationPolicy.of(provider.destinations());
    for (int i = 0; i < canonical.size(); i++) {
      if (!withinCatalog(
          DestinationPattern.parse(canonical.get(i)), canonical.get(i), catalog, provider)) {
        throw ApiException.invalid(
            "destinations["
                + i
                + "] is wider than provider '"
                + provider.id()
                + "' allows: name an https host of its catalog destinations ("
                + String.join(", ", provider.destinations())
                + ")");
      }
    }
    return canonical;
  }

  private static boolean withinCatalog(
      DestinationPattern pattern, String text, DestinationPolicy catalog, Provider provider) {
    if (!text.startsWith("https://")) {
      return false;
    }
    String domain = pattern.wildcardDomain();
    if (domain == null) {
      // the host (at https's port) must be one the catalog allows; the port is the operator's
      String host = text.substring("https://".length());
      int colon = host.lastIndexOf(':');
      if (colon > host.lastIndexOf(']')) {
        host = host.substring(0, colon);
      }
      return catalog.checkUrl("https://" + host + "/").allowed();
    }
    boolean anyDepth = text.startsWith("https://**.");
    for (String entry : provider.destinations()) {
      DestinationPattern c = DestinationPattern.parse(entry);
      String catalogDomain = c.wildcardDomain();
      if (catalogDomain == null) {
        continue;
      }
      boolean catalogAnyDepth = c.toString().startsWith("https://**.");
      if (catalogAnyDepth
          && (domain.equals(catalogDomain) || domain.endsWith("." + catalogDomain))) {
        return true;
      }
      if (!catalogAnyDepth && !anyDepth && domain.equals(catalogDomain)) {
        return true;
      }
    }
    return false;
  }

  /** The catalog's injection, or a subset of its headers that still carries the key. */
  static InjectionSpec injection(InjectionSpec given, Provider provider) {
    InjectionSpec catalog = provider.injection();
    if (given == null) {
      return catalog;
    }
    InjectionSpec spec = SecretValidation.injection(provider, given);
    if (!Objects.equals(spec.getType(), catalog.getType())) {
      throw ApiException.invalid(
          "injection.type must be the catalog's ('" + catalog.getType() + "') for user uploads");
    }
    if (!InjectionSpec.HEADER.equals(spec.getType())) {
      if (!Objects.equals(spec.getUsername(), catalog.getUsername())
          || !Objects.equals(spec.getQueryParam(), catalog.getQueryParam())) {
        throw ApiException.invalid(
            "injection must be the catalog's for provider '" + provider.id() + "'");
      }
      return spec;
    }
    for (int i = 0; i < spec.getHeaders().size(); i++) {
      InjectionSpec.HeaderTemplate h = spec.getHeaders().get(i);
      boolean inCatalog =
          catalog.getHeaders().stream()
              .anyMatch(
                  c ->
                      c.getName()
                              .toLowerCase(Locale.ROOT)
                              .equals(h.getName().toLowerCase(Locale.ROOT))
                          && c.getTemplate().equals(h.getTemplate()));
      if (!inCatalog) {
        throw ApiException.invalid(
            "injection.headers["
                + i
                + "] is not one of provider '"
                + provider.id()
                + "''s catalog headers; user uploads use the catalog's headers or a subset");
      }
    }
    if (spec.getHeaders().stream()
        .noneMatch(h -> h.getTemplate().contains("{" + WireFormat.PRIMARY_PART + "}"))) {
      throw ApiException.invalid("injection must keep the header that carries {credential}");
    }
    return spec;
  }

  static int maxPerUser(Integer given) {
    int max = given == null ? 1 : given;
    if (max < 1 || max > MAX_PER_USER) {
      throw ApiException.invalid("max_per_user must be from 1 to " + MAX_PER_USER);
    }
    return max;
  }
}
