package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a prune of {@link WireLogRedaction}'s remembered values may drop: never a value injected
 * since, and over the cap only the least recently injected ones.
 */
class WireLogRedactionPruneTest {

  @Test
  void aValueRememberedAgainAfterAPruneDroppedItIsRedactedAgain() {
    String injected = new String("prune-then-repeat-secret");
    WireLogRedaction.remember(injected);
    WireLogRedaction.remember(injected); // the same String: answered by the last-value shortcut
    assertRedacted(injected);

    // a prune far in the future drops every value, the shortcut's included
    WireLogRedaction.prune(System.nanoTime() + TimeUnit.MINUTES.toNanos(30), null);
    assertThat(masked(injected)).isNull();

    WireLogRedaction.remember(injected);
    assertRedacted(injected);
  }

  @Test
  void overTheCapTheValueJustInjectedStaysAndTheOldestGo() {
    int count = 700;
    for (int i = 0; i < count; i++) {
      String value = "capped-secret-" + i;
      WireLogRedaction.remember(value);
      assertRedacted(value);
    }
    for (int i = count - 400; i < count; i++) {
      assertRedacted("capped-secret-" + i);
    }
    assertThat(masked("capped-secret-0")).as("the least recently injected value").isNull();
  }

  private static void assertRedacted(String value) {
    byte[] masked = masked(value);
    assertThat(masked).as(value).isNotNull();
    assertThat(new String(masked, StandardCharsets.ISO_8859_1))
        .doesNotContain(value)
        .contains(WireLogRedaction.MASK);
  }

  private static byte[] masked(String value) {
    byte[] line = ("X-Key: " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    return WireLogRedaction.redact(line, 0, line.length);
  }
}
