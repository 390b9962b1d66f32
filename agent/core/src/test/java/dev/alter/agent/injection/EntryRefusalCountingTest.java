package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.usage.UsageCounts;
import dev.alter.agent.usage.UsageEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tagged request refused at its client's entry point ({@code client_not_supported}) never reaches
 * the injector's rewrite, yet is counted among the grant's refusals like every other refusal.
 */
class EntryRefusalCountingTest {
  private static final String GRANT = "grt_0123456789abcdef0123";

  @Test
  void aRefusalAtAClientsEntryPointIsCountedUnderItsGrant() {
    UsageCounts counts = new UsageCounts(System::currentTimeMillis);
    AlterBridge.install(AlterRequestInjector.resolvingWith(null).countingInto(counts));
    AlterBridge.installHookCheck(
        (hookSet, clientType, grant) -> {
          throw new AlterCredentialException(
              AlterCredentialException.CLIENT_NOT_SUPPORTED,
              grant,
              "OkHttp 9.0 is not covered by the agent",
              "use a supported OkHttp");
        });

    assertThatThrownBy(() -> AlterBridge.requireHooks("okhttp", String.class, " " + GRANT + " "))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo(AlterCredentialException.CLIENT_NOT_SUPPORTED));
    assertThatThrownBy(() -> AlterBridge.requireHooks("okhttp", String.class, "@no-such-alias"))
        .isInstanceOf(AlterCredentialException.class);

    List<UsageEntry> entries = counts.drain();
    assertThat(entries).extracting(UsageEntry::grantId).containsExactly(GRANT);
    assertThat(entries.get(0).refused()).isEqualTo(Map.of("client_not_supported", 1L));
  }
}
