package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.service.store.ConstraintViolationException;
import dev.alter.service.store.StoreUnavailableException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's failures as the errors callers are answered with; nothing else about the store leaves
 * it.
 */
public final class StoreFailures {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFailures.class);

  private StoreFailures() {}

  /**
   * The answer to a request the store failed, or empty when {@code failure} did not come from the
   * store.
   */
  public static Optional<ApiException> answerFor(Throwable failure) {
    if (failure instanceof StoreUnavailableException) {
      LOG.warn(
          "Store unavailable: {} ({})",
          failure.getMessage(),
          failure.getCause() == null ? "no cause" : failure.getCause().getClass().getName());
      return Optional.of(
          new ApiException(
              ErrorCode.STORE_UNAVAILABLE, "the store did not answer; nothing was changed"));
    }
    if (failure instanceof ConstraintViolationException) {
      return Optional.of(
          new ApiException(
              ErrorCode.CONFLICT, "the request conflicts with stored data; nothing was changed"));
    }
    return Optional.empty();
  }
}
