package dev.alter.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAlignedAndEmptyCellsShowADash() {
    String text =
        new Table("APP_ID", "NAME").row("app_1", "billing").row("app_22222", null).render();

    assertThat(text).isEqualTo("APP_ID     NAME\n" + "app_1      billing\n" + "app_22222  -\n");
  }

  @Test
  void rowWidthMustMatchTheHeader() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void redactorMasksRegisteredValuesButNotShortNoise() {
    Redactor redactor = new Redactor();
    redactor.register("sk_live_canary_123");
    redactor.register("x");

    assertThat(redactor.redact("detail mentions sk_live_canary_123 twice sk_live_canary_123"))
        .isEqualTo("detail mentions [redacted] twice [redacted]");
    assertThat(redactor.redact("ConnectException")).isEqualTo("ConnectException");
  }
}
