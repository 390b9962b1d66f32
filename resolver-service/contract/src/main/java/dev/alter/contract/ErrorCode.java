package dev.alter.contract;

import java.util.Locale;

/**
 * The stable error vocabulary shared by the service (problem JSON {@code code}), the agent ({@code
 * AlterCredentialException.code()}) and the CLI. Codes are part of the public contract: add new
 * ones, never rename.
 */
public enum ErrorCode {
  GRANT_NOT_FOUND(
      404,
      "No grant with this id exists for this app.",
      "check the grant id, or create a grant with 'alter grants create'"),
  GRANT_REVOKED(
      403,
      "The grant has been revoked, has expired or its secret was deleted.",
      "ask the operator for a new grant"),
  PRINCIPAL_MISMATCH(
      403,
      "The presented identity does not satisfy the grant's principal.",
      "send the identity (alter-identity) of the user, group member or agent the grant names"),
  IDENTITY_INVALID(
      401,
      "The identity token could not be verified.",
      "send a valid, unexpired token issued by the grant's identity provider"),
  HOST_NOT_ALLOWED(
      403,
      "The destination is not among the secret's allowed destinations.",
      "call an allowed host, or have the operator add it with 'alter secrets set-destinations'"),
  INSECURE_SCHEME(
      403,
      "Plain HTTP is not allowed for this destination.",
      "use https://, or have the operator explicitly allow plain HTTP for this host"),
  RESOLVER_UNAVAILABLE(
      503,
      "The resolver service could not be reached.",
      "check ALTER_RESOLVER_URL and that the resolver service is running"),
  UNAUTHORIZED_APP(
      401,
      "The app key is missing, unknown or revoked.",
      "set ALTER_API_KEY or ALTER_API_KEY_FILE to a valid app key"),
  SIGNATURE_REJECTED(
      401,
      "The request's signature is invalid, outside the time window or a replay.",
      "check the clock of the agent's host (NTP) and that nothing rewrites the request on its way"),
  AMBIGUOUS_GRANT(
      409,
      "More than one grant of this provider matches the identity.",
      "use an explicit grant id instead of @provider"),
  BODY_NOT_SIGNABLE(
      400,
      "The request body cannot be hashed for signing.",
      "send a repeatable body within the size limit"),
  CREDENTIAL_EXPIRED(
      403,
      "The stored temporary credential (e.g. an AWS session token) has expired.",
      "have the operator rotate the secret with fresh temporary credentials"),
  PROVIDER_NOT_ALLOWED(
      403,
      "The operator has not allowed this app's users to upload keys for this provider.",
      "ask the operator to allow it with 'alter user-secrets allow --app … --provider …'"),
  IDENTITY_NOT_ACCEPTED(
      403,
      "The identity is valid but not one the operator accepts for user uploads to this app.",
      "send the JWT of a user of an identity provider the app's user-secret allowance lists"),
  MALFORMED_CREDENTIAL(
      400,
      "The uploaded key is not a well-formed key (empty, too long, whitespace or control characters).",
      "send the key exactly as the provider issued it"),
  USER_SECRET_LIMIT_REACHED(
      409,
      "The user already stores as many keys for this provider as the operator allows.",
      "replace or delete one of the user's keys, or ask the operator to raise max_per_user"),
  RATE_LIMITED(
      429,
      "Too many uploads for this user or app; nothing was changed.",
      "wait a minute and retry"),
  TOKEN_ENDPOINT_REFUSED(
      502,
      "The provider's token endpoint refused the stored client credentials.",
      "check the client id and secret or key stored for this secret and the client's status at the provider; rotate the secret"),
  TOKEN_ENDPOINT_UNAVAILABLE(
      503,
      "The provider's token endpoint could not be reached or failed.",
      "retry; check that the service can reach the token endpoint"),
  TOKEN_ENDPOINT_MALFORMED(
      502,
      "The provider's token endpoint answered something that is not a token.",
      "check the token endpoint URL stored for this secret"),
  REAUTHORIZATION_REQUIRED(
      409,
      "The stored refresh token was rejected by the provider (invalid_grant).",
      "authorize the client again and store the new refresh token (rotate the secret)"),
  CLIENT_NOT_SUPPORTED(
      501,
      "The HTTP client's version or build does not have the internals the agent hooks, so the"
          + " credential cannot be added.",
      "use a client version the agent supports (java -jar alter-agent.jar check <classpath> lists"
          + " them), or send this request through a supported client"),
  POLICY_VIOLATION(
      403,
      "The grant's policy does not allow this request (time window, network, expiry, rate, method, path or body size).",
      "make only the calls the grant's policy allows, or have the operator change it with 'alter grants set-policy'"),
  VALIDATION_FAILED(400, "The request is invalid.", "correct the fields named in the detail"),
  NOT_FOUND(404, "No such resource.", "check the id"),
  CONFLICT(409, "The request conflicts with the current state.", "reload and retry"),
  UNAUTHORIZED(
      401,
      "Missing or invalid credentials for this endpoint.",
      "send 'Authorization: Bearer <key>' with a valid key"),
  FORBIDDEN(403, "This key may not use this endpoint.", "use a key of the right kind"),
  PAYLOAD_TOO_LARGE(413, "The request body is too large.", "send a smaller body"),
  STORE_UNAVAILABLE(
      503,
      "The credential store is unavailable; nothing was changed.",
      "retry later; check the database"),
  MASTER_KEY_MISSING(
      503,
      "A stored credential is wrapped by a master key this service was not given.",
      "configure that master key (ALTER_MASTER_KEY_FILE, or the keyring directory for a retired key) and restart"),
  MALFORMED_REQUEST(
      400,
      "The request is not well-formed HTTP (e.g. an ambiguous or invalid path).",
      "send a plain path such as /v1/apps, without encoded slashes or dot segments"),
  URI_TOO_LONG(414, "The request URI is too long.", "send a shorter path and query"),
  HEADERS_TOO_LARGE(431, "The request headers are too large.", "send fewer or smaller headers"),
  INTERNAL_ERROR(500, "Unexpected error; nothing was changed.", "retry; report if it persists");

  private final int httpStatus;
  private final String title;
  private final String fix;

  ErrorCode(int httpStatus, String title, String fix) {
    this.httpStatus = httpStatus;
    this.title = title;
    this.fix = fix;
  }

  /** The wire form, e.g. {@code grant_not_found}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String title() {
    return title;
  }

  /** What the caller should do about it; safe to show to anyone (never contains values). */
  public String fix() {
    return fix;
  }

  /** The RFC 9457 problem type URI for this code. */
  public String typeUri() {
    return "urn:alter:error:" + code();
  }

  /** Parses the wire form; unknown codes (from a newer service) map to {@link #INTERNAL_ERROR}. */
  public static ErrorCode fromCode(String code) {
    if (code == null) {
      return INTERNAL_ERROR;
    }
    try {
      return valueOf(code.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return INTERNAL_ERROR;
    }
  }
}
