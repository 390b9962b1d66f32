package dev.alter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AWS signing body limit follows the same sources and precedence as every other setting. */
class AwsSigningConfigTest {
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private AgentConfig load(String args) {
    return AgentConfig.load(args, properties::get, environment::get);
  }

  @Test
  void defaultsToEightMebibytes() {
    AgentConfig config = load(null);

    assertThat(config.maxSignedBodyBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void argumentBeatsPropertyWhichBeatsEnvironment() {
    environment.put("ALTER_AWS_MAX_SIGNED_BODY_BYTES", "1048576");
    assertThat(load(null).maxSignedBodyBytes()).isEqualTo(1024 * 1024);

    properties.put("alter.aws.max.signed.body.bytes", "2MiB");
    assertThat(load(null).maxSignedBodyBytes()).isEqualTo(2 * 1024 * 1024);

    assertThat(load("aws_max_signed_body_bytes=512KiB").maxSignedBodyBytes()).isEqualTo(512 * 1024);
  }

  @Test
  void acceptsBinaryUnitsInAnyCase() {
    assertThat(sized("16m")).isEqualTo(16L << 20);
    assertThat(sized("1 GiB")).isEqualTo(1L << 30);
    assertThat(sized("64kb")).isEqualTo(64L << 10);
    assertThat(sized("100B")).isEqualTo(100);
    assertThat(sized("0")).isZero();
  }

  @Test
  void invalidValueIsReportedAndTheDefaultKept() {
    environment.put("ALTER_AWS_MAX_SIGNED_BODY_BYTES", "lots");
    AgentConfig config = load(null);

    assertThat(config.maxSignedBodyBytes()).isEqualTo(AgentConfig.DEFAULT_MAX_SIGNED_BODY_BYTES);
    assertThat(config.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("'lots'")
                    .contains("ALTER_AWS_MAX_SIGNED_BODY_BYTES")
                    .contains("not a size"));
    environment.put("ALTER_AWS_MAX_SIGNED_BODY_BYTES", "-5");
    assertThat(load(null).maxSignedBodyBytes())
        .isEqualTo(AgentConfig.DEFAULT_MAX_SIGNED_BODY_BYTES);
  }

  private long sized(String value) {
    environment.put("ALTER_AWS_MAX_SIGNED_BODY_BYTES", value);
    AgentConfig config = load(null);
    assertThat(config.problems()).as(value).isEmpty();
    return config.maxSignedBodyBytes();
  }
}
