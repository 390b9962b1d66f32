package dev.alter.service.mint;

import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPattern;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.WireFormat;
import dev.alter.service.catalog.Minting;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a minted secret stores besides its long-lived credential, as named parts of the encrypted
 * version (so a rotation replaces them together): the client id, token endpoint, client
 * authentication and request parameters, or a GitHub App's app and installation ids. The primary
 * {@code credential} is the client secret, the private key (PEM) for {@code private_key_jwt} and
 * GitHub Apps, or the refresh token.
 */
public record MintingSettings(
    Minting minting,
    URI tokenEndpoint,
    String clientId,
    String authMethod,
    String scope,
    String audience,
    String resource,
    String keyId,
    Map<String, String> extraParams,
    String clientSecret,
    String appId,
    String installationId,
    List<String> repositories,
    Map<String, String> permissions) {

  public static final String CLIENT_ID = "client_id";
  public static final String TOKEN_ENDPOINT = "token_endpoint";
  public static final String AUTH_METHOD = "auth_method";
  public static final String SCOPE = "scope";
  public static final String AUDIENCE = "audience";
  public static final String RESOURCE = "resource";
  public static final String KEY_ID = "key_id";
  public static final String EXTRA_PARAMS = "extra_params";
  public static final String CLIENT_SECRET = "client_secret";
  public static final String APP_ID = "app_id";
  public static final String INSTALLATION_ID = "installation_id";
  public static final String REPOSITORIES = "repositories";
  public static final String PERMISSIONS = "permissions";

  public static final String SECRET_BASIC = "client_secret_basic";
  public static final String SECRET_POST = "client_secret_post";
  public static final String PRIVATE_KEY_JWT = "private_key_jwt";
  public static final String NONE = "none";

  /** Parameters the service itself sets: extra_params may not replace them. */
  private static final Set<String> RESERVED_PARAMS =
      Set.of(
          "grant_type",
          "client_id",
          "client_secret",
          "client_assertion",
          "client_assertion_type",
          "refresh_token",
          "scope",
          "audience",
          "resource",
          "code",
          "username",
          "password");

  private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,20}");
  private static final Pattern GITHUB_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern PERMISSION = Pattern.compile("[a-z_]{1,64}=(read|write|admin)");

  /** Reads a decrypted version; versions were checked by {@link #check} when stored. */
  public static MintingSettings from(Minting minting, CredentialPayload stored) {
    Map<String, String> p = stored.parts();
    return new MintingSettings(
        minting,
        URI.create(endpoint(minting, p)),
        p.get(CLIENT_ID),
        authMethod(minting, p),
        p.getOrDefault(SCOPE, minting.scope()),
        p.get(AUDIENCE),
        p.get(RESOURCE),
        p.get(KEY_ID),
        requestParams(minting, p),
        p.get(CLIENT_SECRET),
        p.get(APP_ID),
        p.get(INSTALLATION_ID),
        p.containsKey(REPOSITORIES) ? List.of(p.get(REPOSITORIES).split(",")) : List.of(),
        p.containsKey(PERMISSIONS) ? permissions(p.get(PERMISSIONS)) : Map.of());
  }

  /**
   * Checks the parts of a minted secret about to be stored (create or rotate).
   *
   * @param parts the primary credential and the named parts
   * @throws IllegalArgumentException naming the part and what to do, never its value
   */
  public static void check(Minting minting, Map<String, String> parts, boolean allowPlainHttp) {
    String endpoint = endpoint(minting, parts);
    if (endpoint == null) {
      throw new IllegalArgumentException(
          "credential_parts." + TOKEN_ENDPOINT + " is required: the provider's token endpoint URL");
    }
    checkEndpoint(minting, endpoint, allowPlainHttp);
    String credential = parts.get(WireFormat.PRIMARY_PART);
    if (Minting.GITHUB_APP.equals(minting.kind())) {
      for (String id : new String[] {APP_ID, INSTALLATION_ID}) {
        if (parts.get(id) == null || !NUMERIC_ID.matcher(parts.get(id)).matches()) {
          throw new IllegalArgumentException(
              "credential_parts." + id + " is required: the GitHub App's numeric " + id);
        }
      }
      requireKey(credential, "the GitHub App's private key");
      if (parts.containsKey(REPOSITORIES)) {
        for (String repo : parts.get(REPOSITORIES).split(",", -1)) {
          if (!GITHUB_NAME.matcher(repo).matches()) {
            throw new IllegalArgumentException(
                "credential_parts.repositories must be repository names separated by commas");
          }
        }
      }
      if (parts.containsKey(PERMISSIONS)) {
        permissions(parts.get(PERMISSIONS));
      }
      return;
    }
    if (parts.get(CLIENT_ID) == null) {
      throw new IllegalArgumentException("credential_parts." + CLIENT_ID + " is required");
    }
    String auth = authMethod(minting, parts);
    boolean refresh = Minting.REFRESH_TOKEN.equals(minting.kind());
    switch (auth) {
      case SECRET_BASIC, SECRET_POST -> {
        if (refresh && parts.get(CLIENT_SECRET) == null) {
          throw new IllegalArgumentException(
              "credential_parts."
                  + CLIENT_SECRET
                  + " is required with auth_method "
                  + auth
                  + " (the credential itself is the refresh token)");
        }
      }
      case PRIVATE_KEY_JWT -> {
        if (refresh) {
          throw new IllegalArgumentException(
              "auth_method private_key_jwt is for client credentials; a refresh-token secret"
                  + " authenticates with client_secret_basic, client_secret_post or none");
        }
        requireKey(credential, "the client's private key");
      }
      case NONE -> {
        if (!refresh) {
          throw new IllegalArgumentException(
              "auth_method none applies only to refresh tokens of public clients");
        }
      }
      default ->
          throw new IllegalArgumentException(
              "credential_parts.auth_method must be client_secret_basic, client_secret_post,"
                  + " private_key_jwt or none");
    }
    if (parts.containsKey(RESOURCE)) {
      URI resource = absolute(parts.get(RESOURCE));
      if (resource == null || resource.getFragment() != null) {
        throw new IllegalArgumentException(
            "credential_parts.resource must be an absolute URI without a fragment (RFC 8707)");
      }
    }
    if (parts.containsKey(EXTRA_PARAMS)) {
      for (String name : form(parts.get(EXTRA_PARAMS)).keySet()) {
        if (RESERVED_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException(
              "credential_parts.extra_params may not set " + name + ": the service sets it");
        }
      }
    }
  }

  /** extra_params, then the parts the provider takes under their own names (Zoom's account_id). */
  private static Map<String, String> requestParams(Minting minting, Map<String, String> parts) {
    Map<String, String> params = new LinkedHashMap<>();
    if (parts.containsKey(EXTRA_PARAMS)) {
      params.putAll(form(parts.get(EXTRA_PARAMS)));
    }
    for (String name : minting.formParts()) {
      if (parts.containsKey(name)) {
        params.put(name, parts.get(name));
      }
    }
    return Map.copyOf(params);
  }

  private static String endpoint(Minting minting, Map<String, String> parts) {
    return parts.getOrDefault(TOKEN_ENDPOINT, minting.tokenEndpoint());
  }

  private static String authMethod(Minting minting, Map<String, String> parts) {
    String given = parts.get(AUTH_METHOD);
    if (given != null) {
      return given;
    }
    if (Minting.REFRESH_TOKEN.equals(minting.kind()) && parts.get(CLIENT_SECRET) == null) {
      return NONE;
    }
    return minting.authMethod() == null ? SECRET_BASIC : minting.authMethod();
  }

  /**
   * HTTPS unless plain HTTP is allowed, and on a host of the provider's own token endpoints when
   * the catalog names them (a client secret goes only where its provider takes it).
   */
  private static void checkEndpoint(Minting minting, String endpoint, boolean allowPlainHttp) {
    URI uri = absolute(endpoint);
    if (uri == null
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null
        || uri.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "credential_parts.token_endpoint must be an absolute https URL without user info, query"
              + " or fragment");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && allowPlainHttp)) {
      throw new IllegalArgumentException(
          "credential_parts.token_endpoint must use https (plain http only with"
              + " allow_plain_http)");
    }
    if (minting.tokenEndpoints().isEmpty()) {
      return;
    }
    for (String pattern : minting.tokenEndpoints()) {
      DestinationPattern p = DestinationPattern.parse(pattern);
      // the host decides whose endpoint it is; the port may differ (a proxy, a test stand-in)
      if (DestinationPolicy.of(List.of(pattern))
          .check(p.scheme(), uri.getHost(), p.port())
          .allowed()) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "credential_parts.token_endpoint must be on a host of the provider's token endpoints ("
            + String.join(", ", minting.tokenEndpoints())
            + ")");
  }

  private static void requireKey(String pem, String what) {
    try {
      PemPrivateKeys.parse(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("credential (" + what + ") " + e.getMessage());
    }
  }

  private static URI absolute(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** {@code name=value&…}, form-encoded as the token request sends them. */
  private static Map<String, String> form(String text) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "credential_parts.extra_params must be form-encoded name=value pairs joined by &");
      }
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** {@code contents=read,issues=write}: GitHub's permission names and levels. */
  private static Map<String, String> permissions(String text) {
    Map<String, String> permissions = new LinkedHashMap<>();
    for (String item : text.split(",", -1)) {
      if (!PERMISSION.matcher(item).matches()) {
        throw new IllegalArgumentException(
            "credential_parts.permissions must be name=read|write|admin pairs separated by commas"
                + " (e.g. contents=read,issues=write)");
      }
      int eq = item.indexOf('=');
      permissions.put(item.substring(0, eq), item.substring(eq + 1));
    }
    return permissions;
  }

  @Override
  public String toString() {
    return "MintingSettings[" + minting.kind() + " at " + tokenEndpoint + "]";
  }
}
