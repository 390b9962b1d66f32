package dev.alter.service.store;

import java.util.List;

/**
 * A stored identity provider. Exactly one of {@code jwksUrl} and {@code jwksDocument} (the
 * operator's JWKS JSON or PEM text, public keys only) is set.
 */
public record IdpRecord(
    String idpId,
    String issuer,
    String jwksUrl,
    String jwksDocument,
    List<String> audiences,
    List<String> algorithms,
    int clockSkewSeconds,
    String userClaim,
    String groupClaim,
    long createdAt,
    long updatedAt) {}
