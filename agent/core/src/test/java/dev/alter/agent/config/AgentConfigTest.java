package dev.alter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private AgentConfig load(String args) {
    return AgentConfig.load(args, properties::get, environment::get);
  }

  @Test
  void agentArgumentsBeatSystemPropertiesWhichBeatTheEnvironment() {
    environment.put("ALTER_RESOLVER_URL", "https://env.example:8443");
    assertThat(load(null).resolverUrl()).hasToString("https://env.example:8443");

    properties.put("alter.resolver.url", "https://property.example");
    assertThat(load(null).resolverUrl()).hasToString("https://property.example");

    assertThat(load("resolver=https://argument.example").resolverUrl())
        .hasToString("https://argument.example");
  }

  @Test
  void usageIsReportedAtLeastEveryTenSeconds() {
    assertThat(load(null).usageReportInterval()).hasSeconds(10);
    assertThat(load("usage_report_interval=2s").usageReportInterval()).hasSeconds(2);
    properties.put("alter.usage.report.interval", "1m");
    AgentConfig tooRare = load(null);
    assertThat(tooRare.usageReportInterval()).hasSeconds(10);
    assertThat(tooRare.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("usage_report_interval", "longer than 10 s"));
  }

  @Test
  void theWarmUpWaitsTwoSecondsUnlessTold() {
    assertThat(load(null).warmUpDelay()).hasSeconds(2);
    assertThat(load("warm_up_delay=0s").warmUpDelay()).isZero();
    environment.put("ALTER_WARM_UP_DELAY", "250ms");
    assertThat(load(null).warmUpDelay()).hasMillis(250);
    AgentConfig negative = load("warm_up_delay=soon");
    assertThat(negative.warmUpDelay()).hasSeconds(2);
    assertThat(negative.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("'soon'", "is not a duration"));
  }

  @Test
  void onStartFailureIsAKnownSettingWithTwoValues() {
    assertThat(load("on_start_failure=continue").problems()).isEmpty();
    environment.put("ALTER_ON_START_FAILURE", "exit");
    assertThat(load(null).problems()).isEmpty();
    properties.put("alter.on.start.failure", "contineu");
    assertThat(load(null).problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("on_start_failure", "'exit' applies"));
  }

  @Test
  void keyFileIsReadAndOnlyItsSourceIsReported(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("app.key");
    Files.writeString(keyFile, "alter_key_app_fromfile\n");
    environment.put("ALTER_API_KEY", "alter_key_app_fromenv");
    AgentConfig config = load("api_key_file=" + keyFile);

    assertThat(config.apiKey()).isEqualTo("alter_key_app_fromfile");
    assertThat(config.apiKeySource()).contains("api_key_file").contains(keyFile.toString());
    assertThat(config.toString()).doesNotContain("alter_key_app_fromfile");
  }

  @Test
  void explicitKeyWinsOverKeyFileFromTheSameLevel(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("app.key");
    Files.writeString(keyFile, "alter_key_app_fromfile");
    environment.put("ALTER_API_KEY_FILE", keyFile.toString());
    environment.put("ALTER_API_KEY", "alter_key_app_fromenv");

    assertThat(load(null).apiKey()).isEqualTo("alter_key_app_fromenv");
    assertThat(load(null).apiKeySource()).isEqualTo("ALTER_API_KEY");
  }

  @Test
  void keyFileFromAPropertyBeatsAKeyFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("app.key");
    Files.writeString(keyFile, "alter_key_app_fromfile");
    properties.put("alter.api.key.file", keyFile.toString());
    environment.put("ALTER_API_KEY", "alter_key_app_fromenv");

    assertThat(load(null).apiKey()).isEqualTo("alter_key_app_fromfile");
  }

  @Test
  void unreadableKeyFileLeavesTheKeyMissingAndSaysWhy() {
    environment.put("ALTER_API_KEY_FILE", "/nonexistent/alter.key");
    AgentConfig config = load(null);

    assertThat(config.apiKey()).isNull();
    assertThat(config.problems()).anySatisfy(p -> assertThat(p).contains("/nonexistent/alter.key"));
  }

  @Test
  void apiKeyIsNotAcceptedAsAnAgentArgument() {
    AgentConfig config = load("api_key=alter_key_app_secret");

    assertThat(config.apiKey()).isNull();
    assertThat(config.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p).contains("api_key_file").doesNotContain("alter_key_app_secret"));
  }

  @Test
  void nothingConfiguredMeansNoUrlNoKeyAndDefaults() {
    AgentConfig config = load("");

    assertThat(config.resolverUrl()).isNull();
    assertThat(config.apiKey()).isNull();
    assertThat(config.maxStaleness()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.resolveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.logLevel()).isEqualTo(Level.INFO);
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void durationsAcceptUnitsAndBadOnesFallBackToDefaults() {
    environment.put("ALTER_MAX_STALENESS", "5m");
    properties.put("alter.resolve.timeout", "750ms");
    AgentConfig config = load(null);
    assertThat(config.maxStaleness()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.resolveTimeout()).isEqualTo(Duration.ofMillis(750));

    AgentConfig bad = load("max_staleness=soon");
    assertThat(bad.maxStaleness()).isEqualTo(AgentConfig.DEFAULT_MAX_STALENESS);
    assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("soon"));
  }

  @Test
  void resolverUrlMustBeAbsoluteHttpWithoutUserInfo() {
    assertThat(load("resolver=ftp://x.example").resolverUrl()).isNull();
    assertThat(load("resolver=https://user:pw@x.example").resolverUrl()).isNull();
    assertThat(load("resolver=https://user:pw@x.example").problems())
        .singleElement()
        .satisfies(p -> assertThat(p).doesNotContain("pw"));
  }

  @Test
  void logLevelAcceptsCommonNames() {
    environment.put("ALTER_LOG_LEVEL", "debug");
    assertThat(load(null).logLevel()).isEqualTo(Level.FINE);
    assertThat(load("log_level=WARNING").logLevel()).isEqualTo(Level.WARNING);
  }
}
