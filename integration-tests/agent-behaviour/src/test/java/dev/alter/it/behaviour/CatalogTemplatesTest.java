package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ScriptedJdkClient;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every static-key entry of the provider catalog, injected by the real agent into a request to a
 * stand-in of one of the provider's hosts, checked header by header (or query parameter) against
 * what the provider's own API documentation says it expects. The expectations here are written from
 * those pages, not read from {@code providers.json}: a catalog edit that changes what goes on the
 * wire, or adds an entry without an expectation, fails this test.
 */
class CatalogTemplatesTest {
  /** How a provider's documentation says a request authenticates: one row per provider. */
  private record Expectation(
      String provider,
      String exampleHost,
      List<String> documentedDestinations,
      Map<String, String> headers,
      String queryParam,
      String basicUsername,
      Map<String, String> parts) {

    Expectation {
      headers = headers == null ? Map.of() : headers;
      parts = parts == null ? Map.of() : parts;
    }

    @Override
    public String toString() {
      return provider;
    }
  }

  private static final String CANARY = "catalog-canary-" + RandomHex.of(12);
  private static final String PART_CANARY = "catalog-part-" + RandomHex.of(12);

  private static Expectation bearer(String provider, String host, String... destinations) {
    return header(provider, host, "Authorization", "Bearer " + CANARY, destinations);
  }

  private static Expectation header(
      String provider, String host, String name, String value, String... destinations) {
    return new Expectation(
        provider, host, List.of(destinations), Map.of(name, value), null, null, null);
  }

  private static Expectation basic(
      String provider, String host, String username, String... destinations) {
    return new Expectation(
        provider,
        host,
        List.of(destinations),
        Map.of("Authorization", basicValue(username, CANARY)),
        null,
        username,
        null);
  }

  private static Expectation query(
      String provider, String host, String param, String... destinations) {
    return new Expectation(provider, host, List.of(destinations), null, param, null, null);
  }

  static Stream<Expectation> expectations() {
    return Stream.of(
        new Expectation(
            "datadog",
            "api.datadoghq.com",
            List.of(
                "https://api.datadoghq.com",
                "https://api.us3.datadoghq.com",
                "https://api.us5.datadoghq.com",
                "https://api.ap1.datadoghq.com",
                "https://api.datadoghq.eu",
                "https://api.ddog-gov.com"),
            Map.of("DD-API-KEY", CANARY, "DD-APPLICATION-KEY", PART_CANARY),
            null,
            null,
            Map.of("application_key", PART_CANARY)),
        bearer("stripe", "api.stripe.com", "https://api.stripe.com"),
        bearer("openai", "api.openai.com", "https://api.openai.com"),
        header("anthropic", "api.anthropic.com", "x-api-key", CANARY, "https://api.anthropic.com"),
        bearer("github", "api.github.com", "https://api.github.com"),
        bearer("slack", "slack.com", "https://slack.com"),
        bearer("sendgrid", "api.sendgrid.com", "https://api.sendgrid.com"),
        basic("twilio", "api.twilio.com", "AC0123456789abcdef", "https://api.twilio.com"),
        header(
            "google-gemini",
            "generativelanguage.googleapis.com",
            "x-goog-api-key",
            CANARY,
            "https://generativelanguage.googleapis.com"),
        header(
            "azure-openai",
            "contoso-eastus.openai.azure.com",
            "api-key",
            CANARY,
            "https://*.openai.azure.com",
            "https://*.cognitiveservices.azure.com"),
        bearer("mistral", "api.mistral.ai", "https://api.mistral.ai"),
        bearer("cohere", "api.cohere.com", "https://api.cohere.com", "https://api.cohere.ai"),
        bearer("groq", "api.groq.com", "https://api.groq.com"),
        bearer(
            "huggingface",
            "router.huggingface.co",
            "https://huggingface.co",
            "https://router.huggingface.co",
            "https://api-inference.huggingface.co"),
        header(
            "pinecone",
            "docs-example-abc123.svc.us-east1-gcp.pinecone.io",
            "Api-Key",
            CANARY,
            "https://**.pinecone.io"),
        bearer("notion", "api.notion.com", "https://api.notion.com"),
        header("linear", "api.linear.app", "Authorization", CANARY, "https://api.linear.app"),
        bearer("hubspot", "api.hubapi.com", "https://api.hubapi.com"),
        bearer(
            "intercom",
            "api.eu.intercom.io",
            "https://api.intercom.io",
            "https://api.eu.intercom.io",
            "https://api.au.intercom.io"),
        basic("zendesk", "acme.zendesk.com", "agent@acme.test/token", "https://*.zendesk.com"),
        basic(
            "atlassian",
            "acme.atlassian.net",
            "jane@acme.test",
            "https://*.atlassian.net",
            "https://api.atlassian.com"),
        header(
            "pagerduty",
            "api.pagerduty.com",
            "Authorization",
            "Token token=" + CANARY,
            "https://api.pagerduty.com",
            "https://api.eu.pagerduty.com"),
        bearer(
            "sentry",
            "de.sentry.io",
            "https://sentry.io",
            "https://us.sentry.io",
            "https://de.sentry.io"),
        bearer("airtable", "api.airtable.com", "https://api.airtable.com"),
        header("gitlab", "gitlab.com", "PRIVATE-TOKEN", CANARY, "https://gitlab.com"),
        bearer("cloudflare", "api.cloudflare.com", "https://api.cloudflare.com"),
        bearer("vercel", "api.vercel.com", "https://api.vercel.com"),
        bearer("digitalocean", "api.digitalocean.com", "https://api.digitalocean.com"),
        new Expectation(
            "supabase",
            "abcdefghijklmnop.supabase.co",
            List.of("https://*.supabase.co"),
            Map.of("apikey", CANARY, "Authorization", "Bearer " + CANARY),
            null,
            null,
            null),
        new Expectation(
            "algolia",
            "latency-dsn.algolia.net",
            List.of("https://*.algolia.net", "https://*.algolianet.com"),
            Map.of("X-Algolia-API-Key", CANARY, "X-Algolia-Application-Id", PART_CANARY),
            null,
            null,
            Map.of("application_id", PART_CANARY)),
        new Expectation(
            "mailgun",
            "api.eu.mailgun.net",
            List.of("https://api.mailgun.net", "https://api.eu.mailgun.net"),
            Map.of("Authorization", basicValue("api", CANARY)),
            null,
            null,
            null),
        header(
            "postmark",
            "api.postmarkapp.com",
            "X-Postmark-Server-Token",
            CANARY,
            "https://api.postmarkapp.com"),
        bearer("resend", "api.resend.com", "https://api.resend.com"),
        query("mapbox", "api.mapbox.com", "access_token", "https://api.mapbox.com"),
        query(
            "google-maps",
            "maps.googleapis.com",
            "key",
            "https://maps.googleapis.com",
            "https://places.googleapis.com",
            "https://routes.googleapis.com"),
        header(
            "shopify",
            "acme.myshopify.com",
            "X-Shopify-Access-Token",
            CANARY,
            "https://*.myshopify.com"),
        bearer(
            "square",
            "connect.squareup.com",
            "https://connect.squareup.com",
            "https://connect.squareupsandbox.com"));
  }

  /**
   * Entries whose own tests cover them: signing (docs/aws.md) and the operator-defined one; the
   * minted entries are integration-tests/minted's.
   */
  private static final List<String> COVERED_ELSEWHERE = List.of("aws", "custom");

  private static ResolverServiceProcess service;
  private static AdminClient admin;
  private static AdminClient.App app;
  private static RecordingServer server;
  private static RunningChild child;

  @BeforeAll
  static void start() {
    service = SharedResolverService.get();
    admin = service.admin();
    app = admin.createApp("catalog-it-" + System.nanoTime());
    List<String> hosts = expectations().map(Expectation::exampleHost).distinct().toList();
    Path work = SharedResolverService.workDirectory("catalog");
    TestCertificate certificate = TestCertificate.generate(work, hosts);
    server = RecordingServer.https(certificate);
    child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .main(ScriptedJdkClient.class, "send", "HTTP_1_1")
            .trusting(certificate)
            .hosts(HostsFile.loopback(work, hosts))
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .start();
    child.nextReport(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (child != null) {
      child.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void clear() {
    server.clear();
  }

  @Test
  void everyStaticKeyEntryHasAnExpectationWrittenFromItsDocumentation() {
    TreeSet<String> catalog = new TreeSet<>();
    catalogEntries().keySet().forEach(catalog::add);
    catalog.removeAll(COVERED_ELSEWHERE);
    catalog.removeIf(
        id -> catalogEntries().get(id).path("minting").isObject()); // integration-tests/minted
    TreeSet<String> expected = new TreeSet<>(expectations().map(Expectation::provider).toList());
    assertThat(catalog).isEqualTo(expected);
    assertThat(catalogEntries().size()).as("catalog size").isGreaterThanOrEqualTo(35);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectations")
  void defaultDestinationsAreTheProvidersDocumentedHosts(Expectation expectation) {
    JsonNode entry = catalogEntries().get(expectation.provider());
    List<String> destinations = new ArrayList<>();
    entry.path("destinations").forEach(d -> destinations.add(d.asText()));
    assertThat(destinations).isEqualTo(expectation.documentedDestinations());
    assertThat(entry.path("docs").asText()).startsWith("https://");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expectations")
  void theAgentInjectsWhatTheProviderDocuments(Expectation expectation) {
    String origin = "https://" + expectation.exampleHost() + ":" + server.port();
    NewSecret secret =
        NewSecret.provider(app.appId, expectation.provider(), CANARY).destinations(origin);
    expectation.parts().forEach(secret::credentialPart);
    if (expectation.basicUsername() != null) {
      secret.injection(Map.of("type", "basic", "username", expectation.basicUsername()));
    }
    String grant =
        admin.createSystemGrant(admin.storeSecretId(secret), "catalog-" + expectation.provider());

    JsonNode report =
        child.ask(
            "request " + ChildRequest.get(origin + "/catalog/probe?page=2").grant(grant).toLine(),
            Duration.ofSeconds(40));

    assertThat(report.path("status").asInt()).as("report %s", report).isEqualTo(200);
    RecordedRequest received = server.singleRequest();
    assertThat(received.authority()).isEqualTo(expectation.exampleHost() + ":" + server.port());
    expectation
        .headers()
        .forEach(
            (name, value) ->
                assertThat(received.headerValues(name))
                    .as("header %s", name)
                    .containsExactly(value));
    if (expectation.queryParam() != null) {
      assertThat(received.target())
          .isEqualTo("/catalog/probe?page=2&" + expectation.queryParam() + "=" + CANARY);
    } else {
      assertThat(received.target()).isEqualTo("/catalog/probe?page=2");
    }
    for (Map.Entry<String, String> header : received.headers()) {
      String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
      assertThat(name).doesNotStartWith("alter-");
      if (header.getValue().contains(CANARY) || header.getValue().contains(PART_CANARY)) {
        assertThat(expectation.headers().keySet().stream().map(String::toLowerCase))
            .as("a credential in a header the documentation does not name")
            .contains(name);
      }
    }
  }

  private static Map<String, JsonNode> catalogEntries() {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    admin
        .call("GET", "/v1/providers", null)
        .path("providers")
        .forEach(p -> byId.put(p.path("id").asText(), p));
    return byId;
  }

  private static String basicValue(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
