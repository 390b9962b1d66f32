package dev.alter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code resolver} as a comma-separated list of replicas, from each source, and its mistakes. */
class ResolverUrlListConfigTest {
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private AgentConfig load(String args) {
    return AgentConfig.load(args, properties::get, environment::get);
  }

  @Test
  void theEnvironmentListsReplicasInTheOrderTheyAreTried() {
    environment.put("ALTER_RESOLVER_URL", "https://a.internal:8443, https://b.internal:8443");
    AgentConfig config = load(null);
    assertThat(config.problems()).isEmpty();
    assertThat(config.resolverUrls())
        .containsExactly(
            URI.create("https://a.internal:8443"), URI.create("https://b.internal:8443"));
    assertThat(config.resolverUrl()).isEqualTo(URI.create("https://a.internal:8443"));
  }

  @Test
  void anAgentArgumentListKeepsItsCommasAndTheSettingsAfterIt() {
    AgentConfig config =
        load("resolver=https://a.internal:8443,https://b.internal:8443,resolve_timeout=3s");
    assertThat(config.problems()).isEmpty();
    assertThat(config.resolverUrls())
        .containsExactly(
            URI.create("https://a.internal:8443"), URI.create("https://b.internal:8443"));
    assertThat(config.resolveTimeout()).hasSeconds(3);
  }

  @Test
  void aSingleUrlIsAListOfOne() {
    properties.put("alter.resolver.url", "http://127.0.0.1:8080");
    assertThat(load(null).resolverUrls()).containsExactly(URI.create("http://127.0.0.1:8080"));
  }

  @Test
  void aBadEntryRefusesTheWholeListNamingTheEntry() {
    environment.put("ALTER_RESOLVER_URL", "https://a.internal:8443,b.internal:8443");
    AgentConfig config = load(null);
    assertThat(config.resolverUrls()).isEmpty();
    assertThat(config.resolverUrl()).isNull();
    assertThat(config.problems())
        .containsExactly(
            "resolver URL from ALTER_RESOLVER_URL (entry 2 of 2) must be an absolute http(s) URL");
  }

  @Test
  void anEmptyEntryIsAMistake() {
    environment.put("ALTER_RESOLVER_URL", "https://a.internal:8443,,https://b.internal");
    AgentConfig config = load(null);
    assertThat(config.resolverUrls()).isEmpty();
    assertThat(config.problems())
        .containsExactly(
            "resolver URL list from ALTER_RESOLVER_URL has an empty entry (entry 2 of 3)");
  }

  @Test
  void plainHttpMixedWithHttpsIsRefused() {
    properties.put("alter.resolver.url", "https://a.internal:8443,http://b.internal:8080");
    AgentConfig config = load(null);
    assertThat(config.resolverUrls()).isEmpty();
    assertThat(config.problems())
        .containsExactly(
            "resolver URLs from -Dalter.resolver.url mix http and https; list replicas with one"
                + " scheme (https in production)");
  }

  @Test
  void aReplicaListedTwiceIsAMistake() {
    environment.put("ALTER_RESOLVER_URL", "https://a.internal:8443,https://A.internal:8443");
    AgentConfig config = load(null);
    assertThat(config.resolverUrls()).isEmpty();
    assertThat(config.problems())
        .containsExactly(
            "resolver URL https://A.internal:8443 from ALTER_RESOLVER_URL is listed twice");
  }

  @Test
  void userInfoInAnyEntryIsRefused() {
    environment.put("ALTER_RESOLVER_URL", "https://a.internal,https://me:pw@b.internal");
    AgentConfig config = load(null);
    assertThat(config.resolverUrls()).isEmpty();
    assertThat(config.problems())
        .containsExactly(
            "resolver URL from ALTER_RESOLVER_URL (entry 2 of 2) must not contain user info");
    assertThat(String.join(" ", config.problems())).doesNotContain("pw");
  }

  @Test
  void anUnknownArgumentAfterTheListIsStillReported() {
    AgentConfig config = load("resolver=https://a.internal,https://b.internal,colour=blue");
    assertThat(config.resolverUrls()).hasSize(2);
    assertThat(config.problems()).containsExactly("unknown agent argument 'colour'");
  }

  @Test
  void denialCacheTtlDefaultsToFiveSecondsAndIsCapped() {
    assertThat(load(null).denialCacheTtl()).hasSeconds(5);
    assertThat(load("denial_cache_ttl=0").denialCacheTtl()).isZero();
    environment.put("ALTER_DENIAL_CACHE_TTL", "2s");
    assertThat(load(null).denialCacheTtl()).hasSeconds(2);
    AgentConfig tooLong = load("denial_cache_ttl=1h");
    assertThat(tooLong.denialCacheTtl()).hasSeconds(5);
    assertThat(tooLong.problems())
        .containsExactly(
            "denial cache TTL from agent argument denial_cache_ttl is longer than 5 minutes;"
                + " using 5 s");
  }
}
