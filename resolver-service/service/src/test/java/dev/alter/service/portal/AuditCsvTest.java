package dev.alter.service.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.service.app.Views;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditCsvTest {
  @Test
  void cellsAreQuotedWhereNeededAndFormulasDisarmed() {
    assertThat(AuditCsv.cell(null)).isEmpty();
    assertThat(AuditCsv.cell("grant.create")).isEqualTo("grant.create");
    assertThat(AuditCsv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(AuditCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(AuditCsv.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
    assertThat(AuditCsv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(AuditCsv.cell("+1")).isEqualTo("\"'+1\"");
  }

  @Test
  void oneHeaderAndOneRowPerEvent() {
    String csv =
        AuditCsv.of(
            List.of(
                new Views.AuditEvent(
                    "evt_1",
                    "2030-01-01T00:00:00Z",
                    "admin:key_1",
                    "grant.revoke",
                    "a",
                    "s",
                    "g",
                    "system:x",
                    null,
                    "ok",
                    "reason, with comma",
                    "abcd1234",
                    3,
                    "2030-01-01T00:00:40Z")));
    assertThat(csv.split("\r\n")).hasSize(2);
    assertThat(csv)
        .startsWith("event_id,time,actor,action,outcome,")
        .contains(
            "evt_1,2030-01-01T00:00:00Z,admin:key_1,grant.revoke,ok,a,s,g,system:x,,\"reason, with comma\",abcd1234,3,2030-01-01T00:00:40Z");
  }
}
