package dev.alter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM-wide agent token: where it may come from, and that only its source is ever shown. */
class AgentTokenConfigTest {
  private static final String TOKEN = "alter_key_agent_" + "T".repeat(43);
  private final Map<String, String> properties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private AgentConfig load(String args) {
    return AgentConfig.load(args, properties::get, environment::get);
  }

  @Test
  void noTokenIsConfiguredByDefault() {
    assertThat(load(null).agentToken()).isNull();
    assertThat(load(null).agentTokenSource()).isNull();
  }

  @Test
  void tokenFromTheEnvironmentIsUsedAndOnlyItsSourceShown() {
    environment.put("ALTER_AGENT_TOKEN", " " + TOKEN + "\n");
    AgentConfig config = load(null);

    assertThat(config.agentToken()).isEqualTo(TOKEN);
    assertThat(config.agentTokenSource()).isEqualTo("ALTER_AGENT_TOKEN");
    assertThat(config.toString())
        .contains("agentToken=from ALTER_AGENT_TOKEN")
        .doesNotContain(TOKEN);
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void tokenFileFromAnArgumentBeatsAPropertyWhichBeatsTheEnvironment(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("agent.token");
    Files.writeString(file, TOKEN + "\n");
    environment.put("ALTER_AGENT_TOKEN", "alter_key_agent_fromenv");
    properties.put("alter.agent.token", "alter_key_agent_fromproperty");
    assertThat(load(null).agentToken()).isEqualTo("alter_key_agent_fromproperty");

    AgentConfig config = load("agent_token_file=" + file);
    assertThat(config.agentToken()).isEqualTo(TOKEN);
    assertThat(config.agentTokenSource()).contains("agent_token_file").contains(file.toString());
  }

  @Test
  void tokenFileFromASystemPropertyIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.token");
    Files.writeString(file, TOKEN);
    properties.put("alter.agent.token.file", file.toString());

    assertThat(load(null).agentToken()).isEqualTo(TOKEN);
  }

  @Test
  void theTokenItselfIsNotAcceptedAsAnAgentArgument() {
    AgentConfig config = load("agent_token=" + TOKEN);

    assertThat(config.agentToken()).isNull();
    assertThat(config.problems())
        .singleElement()
        .asString()
        .contains("agent_token_file")
        .doesNotContain(TOKEN);
  }

  @Test
  void somethingThatIsNotAnAgentTokenIsIgnoredWithoutBeingQuoted(@TempDir Path dir)
      throws Exception {
    environment.put("ALTER_AGENT_TOKEN", "alter_key_app_notanagenttoken");
    AgentConfig config = load(null);
    assertThat(config.agentToken()).isNull();
    assertThat(config.problems())
        .singleElement()
        .asString()
        .contains("ALTER_AGENT_TOKEN")
        .doesNotContain("alter_key_app_notanagenttoken");

    environment.clear();
    environment.put("ALTER_AGENT_TOKEN_FILE", dir.resolve("absent").toString());
    assertThat(load(null).agentToken()).isNull();
    assertThat(load(null).problems())
        .singleElement()
        .asString()
        .contains("cannot read agent token file");
  }
}
