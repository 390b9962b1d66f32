package dev.alter.identity;

/**
 * An identity provider configuration that cannot be used. The admin API answers it with {@code
 * validation_failed}; {@link #field()} names the offending field in the API's snake_case.
 */
public final class InvalidIdentityProviderConfig extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidIdentityProviderConfig(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
