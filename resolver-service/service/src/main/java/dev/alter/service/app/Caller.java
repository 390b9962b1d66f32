package dev.alter.service.app;

/** Who is calling, as established from the bearer key: an operator (admin key) or an app. */
public record Caller(Kind kind, String keyId, String appId) {
  public enum Kind {
    ADMIN,
    APP
  }

  /** The audit actor: {@code admin:key_…} or {@code app:app_…}. */
  public String actor() {
    return kind == Kind.ADMIN ? "admin:" + keyId : "app:" + appId;
  }
}
