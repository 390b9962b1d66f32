package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.config.AgentConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentStartupTest {
  private static final OutgoingRequest TAGGED =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/").header("alter-grant", "grt_1");

  private static AgentConfig config(Map<String, String> env) {
    return AgentConfig.load(null, name -> null, env::get);
  }

  @Test
  void withoutResolverUrlTaggedRequestsFailAsResolverUnavailableNamingTheSetting() {
    assertThatThrownBy(
            () -> AgentStartup.injectorFor(config(Map.of("ALTER_API_KEY", "k"))).rewrite(TAGGED))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("resolver_unavailable");
              assertThat(e.getMessage()).contains("ALTER_RESOLVER_URL");
            });
  }

  @Test
  void withoutKeyTaggedRequestsFailAsUnauthorizedAppNamingTheSettings() {
    assertThatThrownBy(
            () ->
                AgentStartup.injectorFor(config(Map.of("ALTER_RESOLVER_URL", "http://127.0.0.1:1")))
                    .rewrite(TAGGED))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("unauthorized_app");
              assertThat(e.getMessage()).contains("ALTER_API_KEY").contains("ALTER_API_KEY_FILE");
            });
  }

  @Test
  void unconfiguredAgentStillStripsIdentityOnlyRequests() throws Exception {
    OutgoingRequest identityOnly =
        new OutgoingRequest("GET", "https", "example.com", -1, "/").header("alter-identity", "jwt");

    assertThat(
            AgentStartup.injectorFor(config(Map.of()))
                .rewrite(identityOnly)
                .removes("alter-identity"))
        .isTrue();
  }
}
