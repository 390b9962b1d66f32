package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.service.store.Database;
import java.util.Optional;

/**
 * {@code /readyz}: the store answers and every master key its credentials are wrapped by is
 * configured.
 */
public final class Readiness {
  private final Database db;
  private final MasterKeyService masterKeys;

  public Readiness(Database db, MasterKeyService masterKeys) {
    this.db = db;
    this.masterKeys = masterKeys;
  }

  /** Why the service cannot serve now, or empty when it can. */
  public Optional<ApiException> problem() {
    if (!db.isReachable()) {
      return Optional.of(
          new ApiException(ErrorCode.STORE_UNAVAILABLE, "the store does not answer"));
    }
    return masterKeys
        .missingKeyProblem()
        .map(detail -> new ApiException(ErrorCode.MASTER_KEY_MISSING, detail));
  }
}
