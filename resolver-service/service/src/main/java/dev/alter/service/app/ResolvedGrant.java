package dev.alter.service.app;

import dev.alter.service.store.CredentialVersionRecord;
import dev.alter.service.store.GrantRecord;
import dev.alter.service.store.SecretRecord;
import java.util.Map;

/**
 * What a resolve's one read found: a live grant, its secret and current version; the principal
 * parsed once.
 */
record ResolvedGrant(
    GrantRecord grant,
    Map<String, String> principal,
    SecretRecord secret,
    CredentialVersionRecord version) {

  String grantId() {
    return grant.grantId();
  }
}
