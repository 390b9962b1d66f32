package dev.alter.service.catalog;

import dev.alter.contract.InjectionSpec;
import java.util.List;

/**
 * One catalog entry: how its credentials are injected and where they may go by default. {@code
 * injection} is null for {@code custom} (the operator defines it). {@code parts} are the extra
 * named credential parts a secret of this provider may store besides {@code credential}. {@code
 * docs} is the provider's own page on how its API authenticates, which the entry follows. {@code
 * minting} is set for providers whose API takes short-lived tokens the service mints from the
 * stored long-lived secret.
 */
public record Provider(
    String id,
    String name,
    String description,
    String docs,
    InjectionSpec injection,
    List<String> destinations,
    List<String> parts,
    List<String> requiredParts,
    Minting minting) {
  public static final String CUSTOM = "custom";
  public static final String AWS = "aws";

  public boolean minted() {
    return minting != null;
  }

  public boolean operatorDefined() {
    return CUSTOM.equals(id);
  }
}
