package dev.alter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentLogTest {
  @AfterEach
  void restoreLevel() {
    AgentLog.setLevel(Level.INFO);
  }

  @Test
  void timestampsAreIsoUtcWithMillisecondsAsJavaTimeWouldPrintThem() {
    long[] samples = {
      0L,
      1L,
      999L,
      951_782_400_000L /* 2000-02-29 */,
      1_795_996_151_163L,
      4_102_444_799_999L /* 2099-12-31T23:59:59.999 */,
      1_709_251_199_000L /* 2024-02-29T23:59:59 */
    };
    for (long millis : samples) {
      StringBuilder sb = new StringBuilder();
      AgentLog.appendUtc(sb, millis);
      String iso = Instant.ofEpochMilli(millis).toString();
      String expected = iso.length() == 20 ? iso.substring(0, 19) + ".000Z" : iso;
      assertThat(sb.toString()).as("%d ms", millis).isEqualTo(expected);
    }
  }

  @Test
  void lineNamesLevelAndOnlyTheTypeOfAThrowable() {
    String line =
        AgentLog.line(
            0L, Level.WARNING, "configuration: bad", new IllegalStateException("secret-ish"));

    assertThat(line)
        .isEqualTo(
            "1970-01-01T00:00:00.000Z [alter-agent] WARNING configuration: bad "
                + "(java.lang.IllegalStateException)"
                + System.lineSeparator());
  }

  @Test
  void printedLinesFollowTheConfiguredLevelAsTheLoggerDoes() {
    AgentLog.setLevel(Level.WARNING);
    assertThat(AgentLog.isLoggable(Level.INFO)).isFalse();
    assertThat(AgentLog.isLoggable(Level.SEVERE)).isTrue();
    assertThat(AgentLog.logger().isLoggable(Level.INFO)).isFalse();

    AgentLog.setLevel(Level.OFF);
    assertThat(AgentLog.isLoggable(Level.SEVERE)).isFalse();
    assertThat(AgentLog.logger().isLoggable(Level.SEVERE)).isFalse();
  }
}
