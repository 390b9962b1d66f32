package dev.alter.it.minted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every minted entry of the provider catalog: its default destinations are the provider's
 * documented API hosts, and a secret of it makes the token request the provider's documentation
 * describes (client authentication, grant type, parameters), to a stand-in of the provider's own
 * token host, whose token then reaches the app's request. The expectations are written from the
 * providers' pages, not read from {@code providers.json}; the generic entries and the GitHub App
 * are ClientCredentialsMintingTest's, RefreshTokenMintingTest's and GitHubAppMintingTest's.
 */
class MintedCatalogEntriesTest {
  /** What a provider's documentation says its token request looks like. */
  private record Expectation(
      String provider,
      List<String> documentedDestinations,
      String tokenHost,
      String tokenPath,
      boolean basicAuth,
      Map<String, String> form,
      Map<String, String> settings) {
    @Override
    public String toString() {
      return provider;
    }
  }

  private static final String CLIENT_ID = "client-" + RandomHex.of(6);
  private static final String CLIENT_SECRET = "client-secret-canary-" + RandomHex.of(12);

  static Stream<Expectation> expectations() {
    return Stream.of(
        // developer.paypal.com/api/rest/authentication: Basic client_id:secret,
        // grant_type=client_credentials at /v1/oauth2/token
        new Expectation(
            "paypal",
            List.of("https://api-m.paypal.com", "https://api-m.sandbox.paypal.com"),
            "api-m.paypal.com",
            "/v1/oauth2/token",
            true,
            Map.of("grant_type", "client_credentials"),
            Map.of()),
        // developers.zoom.us/docs/internal-apps/s2s-oauth: Basic, grant_type=account_credentials
        // with account_id at zoom.us/oauth/token
        new Expectation(
            "zoom",
            List.of("https://api.zoom.us"),
            "zoom.us",
            "/oauth/token",
            true,
            Map.of("grant_type", "account_credentials", "account_id", "acct-42"),
            Map.of("account_id", "acct-42")),
        // learn.microsoft.com (v2-oauth2-client-creds-grant-flow): client_id and client_secret in
        // the form, scope https://graph.microsoft.com/.default, at /{tenant}/oauth2/v2.0/token
        new Expectation(
            "microsoft-graph",
            List.of("https://graph.microsoft.com"),
            "login.microsoftonline.com",
            "/contoso.onmicrosoft.com/oauth2/v2.0/token",
            false,
            Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                "https://graph.microsoft.com/.default",
                "client_id",
                CLIENT_ID,
                "client_secret",
                CLIENT_SECRET),
            Map.of()),
        // help.salesforce.com (client credentials flow): the connected app's key and secret in
        // the form at https://<My Domain>.my.salesforce.com/services/oauth2/token
        new Expectation(
            "salesforce",
            List.of("https://*.my.salesforce.com"),
            "acme.my.salesforce.com",
            "/services/oauth2/token",
            false,
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                CLIENT_ID,
                "client_secret",
                CLIENT_SECRET),
            Map.of()));
  }

  /** Minted entries with a test of their own elsewhere in this module. */
  private static final List<String> COVERED_ELSEWHERE =
      List.of("oauth2-client-credentials", "oauth2-refresh-token", "github-app");

  private static TokenEndpointStandIn tokenEndpoints;
  private static MintingWorld world;

  @BeforeAll
  static void start() {
    List<String> tokenHosts = expectations().map(Expectation::tokenHost).toList();
    Path work = SharedResolverService.workDirectory("minted-catalog-endpoints");
    TestCertificate certificate = TestCertificate.generate(work, tokenHosts);
    tokenEndpoints = new TokenEndpointStandIn(certificate);
    List<String> serviceJvm = new ArrayList<>(certificate.trustStoreProperties());
    serviceJvm.add(HostsFile.loopback(work, tokenHosts).jvmArgument());
    world =
        new MintingWorld(
            "catalog", null, Map.of("JAVA_TOOL_OPTIONS", String.join(" ", serviceJvm)));
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
    if (tokenEndpoints != null) {
      tokenEndpoints.close();
    }
  }

  @Test
  void everyMintedEntryHasAnExpectationWrittenFromItsDocumentation() {
    TreeSet<String> minted = new TreeSet<>();
    world
        .admin
        .call("GET", "/v1/providers", null)
        .path("providers")
        .forEach(
            p -> {
              if (p.path("minting").isObject()) {
                minted.add(p.path("id").asText());
              }
            });
    minted.removeAll(COVERED_ELSEWHERE);
    assertThat(minted).isEqualTo(new TreeSet<>(expectations().map(Expectation::provider).toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectations")
  void theTokenRequestIsTheDocumentedOneAndItsTokenReachesTheApp(Expectation e) {
    JsonNode entry = null;
    for (JsonNode p : world.admin.call("GET", "/v1/providers", null).path("providers")) {
      if (p.path("id").asText().equals(e.provider())) {
        entry = p;
      }
    }
    assertThat(entry).as("catalog entry %s", e.provider()).isNotNull();
    List<String> destinations = new ArrayList<>();
    entry.path("destinations").forEach(d -> destinations.add(d.asText()));
    assertThat(destinations).isEqualTo(e.documentedDestinations());

    NewSecret secret =
        NewSecret.provider(world.app.appId, e.provider(), CLIENT_SECRET)
            .credentialPart("client_id", CLIENT_ID)
            .credentialPart(
                "token_endpoint",
                "https://" + e.tokenHost() + ":" + tokenEndpoints.port() + e.tokenPath())
            .destinations(world.provider.origin());
    e.settings().forEach(secret::credentialPart);
    String grant =
        world.admin.createSystemGrant(world.admin.storeSecretId(secret), "minted-" + e.provider());

    String received = world.bearerReceived(grant);

    TokenEndpointStandIn.TokenRequest request =
        tokenEndpoints.requests().stream()
            .filter(r -> received.equals(r.issued()))
            .findFirst()
            .orElseThrow();
    assertThat(request.host()).isEqualTo(e.tokenHost());
    assertThat(request.path()).isEqualTo(e.tokenPath());
    assertThat(request.form()).isEqualTo(e.form());
    if (e.basicAuth()) {
      assertThat(request.authorization())
          .isEqualTo(
              "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
    } else {
      assertThat(request.authorization()).isNull();
    }
    world.assertNowhere(CLIENT_SECRET);
  }
}
