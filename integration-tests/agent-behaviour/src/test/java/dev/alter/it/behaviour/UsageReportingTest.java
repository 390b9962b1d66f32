package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.CannedResponse;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ChildResult;
import dev.alter.it.harness.ClientJars;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordedRequest;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The agent's usage reports, end to end: child JVMs with the real agent send tagged requests
 * through the JDK client (HTTP/1.1 and HTTP/2), OkHttp 4.12 and 3.12 (HTTP/2) and 3.5 (held to
 * HTTP/1.1), Apache HttpClient 5 (classic, and async over HTTP/1.1 and HTTP/2) and 4,
 * HttpURLConnection, Reactor Netty (HTTP/1.1 and HTTP/2) and Jetty 12 to a provider that answers
 * 200, 401, 403 and 429 by path, and one to a host the secret does not allow; the usage the service
 * reports per grant is exactly what was sent and answered. The 401s and 403s flag the secret
 * "rejected by provider"; after a rotation, one accepted request clears the flag.
 */
class UsageReportingTest {
  private static final List<String> FAMILIES =
      List.of(
          "jdk",
          "jdk-h2",
          "okhttp",
          "apache5",
          "apache5-async",
          "apache5-async-h2",
          "apache4",
          "urlconnection",
          "netty",
          "netty-h2",
          "jetty",
          "okhttp-3.5.0",
          "okhttp-3.12.13");

  /** What the provider answers, by path under each family's prefix. */
  private static final Map<String, Integer> ANSWERS =
      Map.of("/ok", 200, "/unauthorized", 401, "/forbidden", 403, "/limited", 429);

  private static final List<String> SENT =
      List.of(
          "/ok",
          "/unauthorized",
          "/ok",
          "/forbidden",
          "/limited",
          "/unauthorized",
          "/ok",
          "/limited");

  @Test
  void usageMatchesWhatWasSentAndTheRejectionFlagFollowsTheProvider() throws Exception {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("usage-it-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("usage")) {
      for (String family : FAMILIES) {
        for (Map.Entry<String, Integer> answer : ANSWERS.entrySet()) {
          provider.server.respond(
              "/" + family + answer.getKey(), CannedResponse.status(answer.getValue()));
        }
      }
      String secretId =
          admin.storeSecretId(
              NewSecret.provider(app.appId, "datadog", StandInProvider.randomCredential("dd"))
                  .destinations(provider.origin()));
      Map<String, String> grants = new LinkedHashMap<>();
      for (String family : FAMILIES) {
        grants.put(family, admin.createSystemGrant(secretId, "usage-" + family));
      }

      for (String family : FAMILIES) {
        List<String> urls = new ArrayList<>();
        for (String path : SENT) {
          urls.add(provider.origin() + "/" + family + path);
        }
        urls.add(service.baseUrl() + "/healthz"); // not a destination of the secret: refused
        ChildResult result = run(service, app, provider, family, grants.get(family), urls);
        assertThat(result.report().path("statuses").toString())
            .as(result.describe())
            .isEqualTo("[200,401,200,403,429,401,200,429,-1]");
      }

      // what each family really sent: a client may retry a 429 on its own (Apache 5 does)
      Map<String, Map<Integer, Integer>> sent = new LinkedHashMap<>();
      for (String family : FAMILIES) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (RecordedRequest received : provider.server.requests()) {
          if (received.target().startsWith("/" + family + "/")) {
            assertThat(received.hasAnyAlterHeader()).isFalse();
            if (family.equals("jdk-h2")
                || family.equals("netty-h2")
                || family.equals("apache5-async-h2")
                || family.equals("okhttp")
                || family.equals("okhttp-3.12.13")) {
              assertThat(received.protocol()).as(family).isEqualTo("HTTP/2.0");
            }
            if (family.equals("okhttp-3.5.0")) {
              assertThat(received.protocol()).as(family).isEqualTo("HTTP/1.1");
            }
            byStatus.merge(
                ANSWERS.get(received.target().substring(family.length() + 1)), 1, Integer::sum);
          }
        }
        assertThat(byStatus.keySet()).as(family).containsExactly(200, 401, 403, 429);
        sent.put(family, byStatus);
      }
      JsonNode usage =
          awaitUsage(
              admin,
              app.appId,
              u -> {
                for (String family : FAMILIES) {
                  JsonNode row = row(u, grants.get(family));
                  if (row == null
                      || row.path("injected").asLong() != total(sent.get(family))
                      || row.path("refused").asLong() != 1) {
                    return false;
                  }
                }
                return true;
              });
      long rejections = 0;
      for (String family : FAMILIES) {
        JsonNode row = row(usage, grants.get(family));
        Map<Integer, Integer> byStatus = sent.get(family);
        assertThat(row.path("secret_id").asText()).isEqualTo(secretId);
        assertThat(row.path("identity_digest").isNull()).as(family).isTrue();
        assertThat(row.path("injected").asLong()).as(family).isEqualTo(total(byStatus));
        assertThat(row.path("refused").asLong()).as(family).isEqualTo(1);
        JsonNode responses = row.path("responses");
        assertThat(responses.path("2xx").asInt()).as(family).isEqualTo(byStatus.get(200));
        assertThat(responses.path("4xx").asLong())
            .as(family)
            .isEqualTo(total(byStatus) - byStatus.get(200));
        for (String other : List.of("1xx", "3xx", "5xx")) {
          assertThat(responses.path(other).asLong()).as(family + " " + other).isZero();
        }
        assertThat(row.path("401").asInt()).as(family).isEqualTo(byStatus.get(401));
        assertThat(row.path("403").asInt()).as(family).isEqualTo(byStatus.get(403));
        assertThat(row.path("429").asInt()).as(family).isEqualTo(byStatus.get(429));
        assertThat(usage.path("refused_by_code").path(grants.get(family)).toString())
            .as(family)
            .isEqualTo("{\"host_not_allowed\":1}");
        rejections += byStatus.get(401) + byStatus.get(403);
      }

      JsonNode flag = admin.call("GET", "/v1/secrets/" + secretId, null).path("provider_rejection");
      assertThat(flag.path("count").asLong()).as(flag.toString()).isEqualTo(rejections);
      assertThat(flag.path("first_seen").asText()).isNotEmpty();
      assertThat(flag.path("last_seen").asText()).isNotEmpty();
      assertThat(
              admin
                  .call("GET", "/v1/usage/rejections?secret_id=" + secretId, null)
                  .path("rejections"))
          .hasSize(1);

      admin.rotate(secretId, StandInProvider.randomCredential("dd"));
      ChildResult accepted =
          run(
              service,
              app,
              provider,
              "okhttp",
              grants.get("okhttp"),
              List.of(provider.origin() + "/okhttp/ok"));
      assertThat(accepted.report().path("statuses").toString())
          .as(accepted.describe())
          .isEqualTo("[200]");
      long okhttpBefore = total(sent.get("okhttp"));
      awaitUsage(
          admin,
          app.appId,
          u ->
              u.path("provider_rejections").isEmpty()
                  && row(u, grants.get("okhttp")).path("injected").asLong() == okhttpBefore + 1);
      assertThat(
              admin
                  .call("GET", "/v1/secrets/" + secretId, null)
                  .path("provider_rejection")
                  .isMissingNode())
          .as("no flag after the rotation and an accepted request")
          .isTrue();
      assertThat(
              admin
                  .call("GET", "/v1/usage/rejections?secret_id=" + secretId, null)
                  .path("rejections"))
          .isEmpty();
    }
  }

  private static ChildResult run(
      ResolverServiceProcess service,
      AdminClient.App app,
      StandInProvider provider,
      String family,
      String grant,
      List<String> urls) {
    List<String> arguments = new ArrayList<>(List.of(family, grant));
    arguments.addAll(urls);
    // OkHttp 3.x families: the "okhttp" code path of the app on that release's jars instead of 4.12
    boolean legacyOkHttp = family.startsWith("okhttp-");
    if (legacyOkHttp) {
      // 3.12 over HTTP/2 (its Http2Codec), 3.5 held to HTTP/1.1 (its Http1Codec)
      arguments.set(0, family.equals("okhttp-3.5.0") ? "okhttp-http1" : "okhttp");
    }
    ChildJvm child =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_17)
            .withAgent()
            .resolver(service.baseUrl(), app.apiKey)
            .systemProperty("alter.usage.report.interval", "2s")
            .trusting(provider.certificate)
            .hosts(provider.hosts)
            .classpathOf(ChildReport.class)
            .main(UsageReportingApp.class, arguments.toArray(new String[0]));
    for (String entry : appClasspath()) {
      if (!legacyOkHttp || !(entry.contains("okhttp") || entry.contains("okio"))) {
        child.classpathEntry(Path.of(entry));
      }
    }
    if (legacyOkHttp) {
      for (Path jar : ClientJars.in("alter.clients", family)) {
        child.classpathEntry(jar);
      }
    }
    if (family.equals("jetty")) {
      // Jetty HttpClient 12 and its jars, as this module's test class path holds them
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        if (entry.contains("jetty")) {
          child.classpathEntry(Path.of(entry));
        }
      }
    }
    if (family.startsWith("netty")) {
      // Reactor Netty and its Netty jars, as this module's test class path holds them
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        if (entry.contains("netty")
            || entry.contains("reactor")
            || entry.contains("reactive-streams")) {
          child.classpathEntry(Path.of(entry));
        }
      }
    }
    return child.run().requireSuccess();
  }

  private static List<String> appClasspath() {
    try {
      return CoexistenceTest.appClasspath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode awaitUsage(AdminClient admin, String appId, Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    JsonNode usage = null;
    while (System.nanoTime() < deadline) {
      usage = admin.call("GET", "/v1/usage?app_id=" + appId, null);
      if (done.test(usage)) {
        return usage;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the usage never arrived as expected: " + usage);
  }

  private static JsonNode row(JsonNode usage, String grantId) {
    for (JsonNode row : usage.path("grants")) {
      if (row.path("grant_id").asText().equals(grantId)) {
        return row;
      }
    }
    return null;
  }

  private static int total(Map<Integer, Integer> byStatus) {
    return byStatus.values().stream().mapToInt(Integer::intValue).sum();
  }
}
