package dev.alter.it.harness;

import com.fasterxml.jackson.databind.JsonNode;

/** A non-2xx answer (or no answer) from the admin API. */
public final class AdminApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient JsonNode problem;

  AdminApiException(String call, int status, JsonNode problem) {
    super(call + " answered " + status + (problem == null ? "" : ": " + problem));
    this.status = status;
    this.problem = problem;
  }

  AdminApiException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
    this.problem = null;
  }

  public int status() {
    return status;
  }

  /** The problem's stable {@code code}, or null. */
  public String code() {
    return problem == null ? null : problem.path("code").asText(null);
  }
}
