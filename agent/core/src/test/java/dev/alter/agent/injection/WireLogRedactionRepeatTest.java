package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.WireLogRedaction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link WireLogRedaction} lives in agent/bootstrap (no tests of its own; the client-level test is
 * in the Apache 5 instrumentation): the same injected String remembered request after request keeps
 * being redacted, and other values are not lost to that shortcut.
 */
class WireLogRedactionRepeatTest {

  @Test
  void aValueRememberedAgainAndAgainIsStillRedactedAlongsideOthers() {
    String injected = "repeat-secret-value-1";
    for (int i = 0; i < 1000; i++) {
      WireLogRedaction.remember(injected);
    }
    String other = "other-secret-value-2";
    WireLogRedaction.remember(other);
    WireLogRedaction.remember(injected);
    // an equal value in another String instance takes the full path and is found too
    WireLogRedaction.remember(new String("third-secret-value-3"));
    WireLogRedaction.remember(new String("third-secret-value-3"));

    assertRedacted("DD-API-KEY: repeat-secret-value-1\r\n", "repeat-secret-value-1");
    assertRedacted("X-Other: other-secret-value-2\r\n", "other-secret-value-2");
    assertRedacted("X-Third: third-secret-value-3\r\n", "third-secret-value-3");
  }

  private static void assertRedacted(String line, String value) {
    byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
    byte[] masked = WireLogRedaction.redact(bytes, 0, bytes.length);
    assertThat(masked).as(line).isNotNull();
    String text = new String(masked, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain(value).contains(WireLogRedaction.MASK);
  }
}
