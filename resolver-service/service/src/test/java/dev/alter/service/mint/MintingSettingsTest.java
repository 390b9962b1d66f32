package dev.alter.service.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.CredentialPayload;
import dev.alter.service.catalog.Minting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MintingSettingsTest {
  private static final Minting GENERIC =
      new Minting(Minting.CLIENT_CREDENTIALS, null, null, "client_secret_basic", null, null, null);
  private static final Minting PAYPAL =
      new Minting(
          Minting.CLIENT_CREDENTIALS,
          "https://api-m.paypal.com/v1/oauth2/token",
          List.of("https://api-m.paypal.com", "https://api-m.sandbox.paypal.com"),
          "client_secret_basic",
          null,
          null,
          null);
  private static final Minting REFRESH =
      new Minting(Minting.REFRESH_TOKEN, null, null, null, null, null, null);
  private static final Minting ZOOM =
      new Minting(
          Minting.CLIENT_CREDENTIALS,
          "https://zoom.us/oauth/token",
          List.of("https://zoom.us"),
          "client_secret_basic",
          "account_credentials",
          null,
          List.of("account_id"));
  private static final Minting GITHUB_APP =
      new Minting(Minting.GITHUB_APP, "https://api.github.com", null, null, null, null, null);

  private static Map<String, String> parts(String... pairs) {
    Map<String, String> parts = new HashMap<>();
    parts.put("credential", "client-secret-canary");
    for (int i = 0; i < pairs.length; i += 2) {
      parts.put(pairs[i], pairs[i + 1]);
    }
    return parts;
  }

  @Test
  void aClientCredentialsSecretNeedsItsClientAndAnHttpsEndpoint() {
    assertThatCode(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts("client_id", "app", "token_endpoint", "https://idp.example/token"),
                    false))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> MintingSettings.check(GENERIC, parts("token_endpoint", "https://idp/t"), false))
        .hasMessageContaining("client_id is required");
    assertThatThrownBy(() -> MintingSettings.check(GENERIC, parts("client_id", "app"), false))
        .hasMessageContaining("token_endpoint is required");
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts("client_id", "app", "token_endpoint", "http://127.0.0.1:9000/token"),
                    false))
        .hasMessageContaining("must use https");
    assertThatCode(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts("client_id", "app", "token_endpoint", "http://127.0.0.1:9000/token"),
                    true))
        .doesNotThrowAnyException();
  }

  @Test
  void aTokenEndpointWithUserInfoQueryOrFragmentIsRefused() {
    for (String endpoint :
        List.of(
            "https://user:pw@idp.example/token",
            "https://idp.example/token?x=1",
            "https://idp.example/token#f",
            "/token",
            "not a url")) {
      assertThatThrownBy(
              () ->
                  MintingSettings.check(
                      GENERIC, parts("client_id", "app", "token_endpoint", endpoint), false))
          .as(endpoint)
          .hasMessageContaining("token_endpoint must be an absolute https URL");
    }
  }

  @Test
  void aCatalogProvidersSecretGoesOnlyToItsOwnTokenHosts() {
    assertThatCode(() -> MintingSettings.check(PAYPAL, parts("client_id", "app"), false))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                MintingSettings.check(
                    PAYPAL,
                    parts(
                        "client_id",
                        "app",
                        "token_endpoint",
                        "https://api-m.sandbox.paypal.com:8443/v1/oauth2/token"),
                    false))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    PAYPAL,
                    parts("client_id", "app", "token_endpoint", "https://evil.example/token"),
                    false))
        .hasMessageContaining("a host of the provider's token endpoints");
  }

  @Test
  void unknownAuthMethodsAndReservedExtraParamsAreRefused() {
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts(
                        "client_id", "app", "token_endpoint", "https://i/t", "auth_method", "tls"),
                    false))
        .hasMessageContaining("auth_method must be");
    for (String params : List.of("grant_type=password", "a=1&client_secret=x", "scope=all")) {
      assertThatThrownBy(
              () ->
                  MintingSettings.check(
                      GENERIC,
                      parts(
                          "client_id",
                          "app",
                          "token_endpoint",
                          "https://i/t",
                          "extra_params",
                          params),
                      false))
          .as(params)
          .hasMessageContaining("extra_params may not set");
    }
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts("client_id", "app", "token_endpoint", "https://i/t", "extra_params", "x"),
                    false))
        .hasMessageContaining("form-encoded");
  }

  @Test
  void privateKeyJwtNeedsAReadableKeyAndNeverQuotesIt() {
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GENERIC,
                    parts(
                        "client_id",
                        "app",
                        "token_endpoint",
                        "https://i/t",
                        "auth_method",
                        "private_key_jwt"),
                    false))
        .hasMessageContaining("is not a PEM private key")
        .hasMessageNotContaining("canary");
  }

  @Test
  void aRefreshTokenOfAConfidentialClientNeedsItsClientSecret() {
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    REFRESH,
                    parts(
                        "client_id",
                        "app",
                        "token_endpoint",
                        "https://i/t",
                        "auth_method",
                        "client_secret_post"),
                    false))
        .hasMessageContaining("client_secret is required");
    MintingSettings publicClient =
        MintingSettings.from(
            REFRESH,
            CredentialPayload.of(parts("client_id", "app", "token_endpoint", "https://i/t")));
    assertThat(publicClient.authMethod()).isEqualTo("none");
  }

  @Test
  void zoomSendsItsOwnGrantTypeWithTheAccountId() {
    MintingSettings zoom =
        MintingSettings.from(
            ZOOM, CredentialPayload.of(parts("client_id", "app", "account_id", "42")));
    assertThat(zoom.tokenEndpoint()).hasToString("https://zoom.us/oauth/token");
    assertThat(zoom.extraParams()).containsExactly(Map.entry("account_id", "42"));
  }

  @Test
  void aGitHubAppNeedsNumericIdsAndGitHubsPermissionForm() {
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GITHUB_APP, parts("app_id", "12a", "installation_id", "7"), false))
        .hasMessageContaining("app_id is required");
    assertThatThrownBy(
            () ->
                MintingSettings.check(
                    GITHUB_APP, parts("app_id", "12", "installation_id", "7"), false))
        .hasMessageContaining("private key");
    assertThat(
            MintingSettings.from(
                    GITHUB_APP,
                    CredentialPayload.of(
                        parts(
                            "app_id",
                            "12",
                            "installation_id",
                            "7",
                            "permissions",
                            "contents=read,issues=write")))
                .permissions())
        .containsExactly(Map.entry("contents", "read"), Map.entry("issues", "write"));
  }
}
