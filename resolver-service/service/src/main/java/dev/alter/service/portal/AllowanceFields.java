package dev.alter.service.portal;

import dev.alter.contract.InjectionSpec;
import dev.alter.service.app.Views;
import dev.alter.service.catalog.Provider;
import java.util.List;

/** What the user-key allowance form shows ticked and filled in: the allowance's, or defaults. */
public final class AllowanceFields {
  private AllowanceFields() {}

  /** The catalog's headers, which the form offers as the injection to keep. */
  public static List<InjectionSpec.HeaderTemplate> catalogHeaders(Provider provider) {
    InjectionSpec catalog = provider.injection();
    return catalog == null || !InjectionSpec.HEADER.equals(catalog.getType())
        ? List.of()
        : catalog.getHeaders();
  }

  /** A new allowance injects every catalog header; an existing one those it kept. */
  public static boolean headerKept(Views.UserSecretAllowance editing, String name) {
    if (editing == null || editing.injection() == null) {
      return true;
    }
    return editing.injection().getHeaders() != null
        && editing.injection().getHeaders().stream().anyMatch(h -> h.getName().equals(name));
  }

  public static boolean idpListed(Views.UserSecretAllowance editing, String idpId) {
    return editing != null && editing.idpIds().contains(idpId);
  }

  /** The allowance's destinations, one per line; empty (the catalog's) for a new one. */
  public static String destinations(Views.UserSecretAllowance editing) {
    return editing == null ? "" : String.join("\n", editing.destinations());
  }

  public static String maxPerUser(Views.UserSecretAllowance editing) {
    return editing == null ? "1" : String.valueOf(editing.maxPerUser());
  }
}
