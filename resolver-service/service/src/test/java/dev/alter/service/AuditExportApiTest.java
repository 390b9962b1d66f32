package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /v1/audit/export}: NDJSON in commit order with a cursor that never skips an event that
 * commits after a later one, and {@code GET /v1/audit/csv}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AuditExportApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Parameter Backend backend;
  static TestService service;

  @BeforeParameterizedClassInvocation
  static void start(Backend backend) {
    service = TestService.start(backend, AuditExportApiTest.class);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  record Export(int status, List<JsonNode> lines, String nextCursor, String body) {}

  static Export export(String query) throws IOException, InterruptedException {
    return export(service, query);
  }

  static Export export(TestService service, String query) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(service.running.baseUrl() + "/v1/audit/export" + query))
                .header("Authorization", "Bearer " + service.adminKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<JsonNode> lines = new ArrayList<>();
    if (r.statusCode() == 200) {
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/x-ndjson");
      for (String line : r.body().split("\n")) {
        if (!line.isEmpty()) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    return new Export(
        r.statusCode(), lines, r.headers().firstValue("Alter-Next-Cursor").orElse(null), r.body());
  }

  /** Everything from {@code cursor} to the end, page by page. */
  static List<JsonNode> drain(String cursor, int pageSize) throws Exception {
    return drain(service, cursor, pageSize);
  }

  /** Everything {@code service} exports after {@code cursor}. */
  static List<JsonNode> drainFor(TestService service, String cursor) throws Exception {
    return drain(service, cursor, 1000);
  }

  static List<JsonNode> drain(TestService service, String cursor, int pageSize) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    while (true) {
      Export page = export(service, "?after=" + cursor + "&limit=" + pageSize);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      if (page.lines().isEmpty()) {
        assertThat(page.nextCursor()).isEqualTo(cursor);
        return all;
      }
      all.addAll(page.lines());
      assertThat(page.nextCursor())
          .isEqualTo(page.lines().get(page.lines().size() - 1).path("cursor").asText());
      cursor = page.nextCursor();
    }
  }

  /** The cursor after the last event exported so far. */
  static String endCursor() throws Exception {
    List<JsonNode> all = drain("0", 1000);
    return all.isEmpty() ? "0" : all.get(all.size() - 1).path("cursor").asText();
  }

  @Test
  void pagesFollowEachOtherWithoutGapOrRepeatAndEndAtTheCursorTheyWereAskedFrom() throws Exception {
    String start = endCursor();
    String appId = service.createApp("export-" + System.nanoTime()).path("app_id").asText();
    for (int i = 0; i < 7; i++) {
      service.createSecret(appId, "stripe", "sk-export-" + i, null);
    }
    List<JsonNode> events = drain(start, 3);
    assertThat(events).hasSize(9); // app.create, app_key.create, 7 x secret.create
    assertThat(events.get(0).path("action").asText()).isEqualTo("app.create");
    assertThat(events.subList(2, 9))
        .allMatch(e -> e.path("action").asText().equals("secret.create"));
    long previous = Long.parseLong(start);
    for (JsonNode e : events) {
      long cursor = Long.parseLong(e.path("cursor").asText());
      assertThat(cursor).isEqualTo(previous + 1);
      previous = cursor;
      assertThat(e.path("event_id").asText()).startsWith("evt_");
      assertThat(e.toString()).doesNotContain("sk-export-");
    }
  }

  @Test
  void anEventThatCommitsAfterALaterOneIsExportedAfterTheCursorAlreadyPassedIt() throws Exception {
    String start = endCursor();
    String lateId = "evt_late_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection open = service.running.database().dataSource().getConnection()) {
      open.setAutoCommit(false);
      // takes its seq now and stays uncommitted while a later event commits
      try (PreparedStatement ps =
          open.prepareStatement(
              "INSERT INTO audit_events (event_id, occurred_at, actor, action, outcome)"
                  + " VALUES (?, ?, 'test', 'app.create', 'ok')")) {
        ps.setString(1, lateId);
        ps.setLong(2, System.currentTimeMillis());
        ps.executeUpdate();
      }
      String appId = service.createApp("later-" + System.nanoTime()).path("app_id").asText();
      List<JsonNode> seen = drain(start, 100);
      assertThat(seen).extracting(e -> e.path("app_id").asText()).contains(appId);
      assertThat(seen).noneMatch(e -> e.path("event_id").asText().equals(lateId));
      String cursor = seen.get(seen.size() - 1).path("cursor").asText();
      open.commit();

      List<JsonNode> after = drain(cursor, 100);
      assertThat(after).extracting(e -> e.path("event_id").asText()).containsExactly(lateId);
      assertThat(service.count("SELECT seq FROM audit_events WHERE event_id = '" + lateId + "'"))
          .as("the late event has the lower seq")
          .isLessThan(
              service.count("SELECT MIN(seq) FROM audit_events WHERE app_id = '" + appId + "'"));
    }
  }

  @Test
  void waitHoldsTheAnswerUntilAnEventArrives() throws Exception {
    String start = endCursor();
    Thread writer =
        new Thread(
            () -> {
              try {
                Thread.sleep(700);
              } catch (InterruptedException e) {
                return;
              }
              service.createApp("waited-" + System.nanoTime());
            });
    writer.start();
    Export page = export("?after=" + start + "&wait=20");
    writer.join();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.lines()).isNotEmpty();
    assertThat(page.lines().get(0).path("action").asText()).isEqualTo("app.create");
  }

  @Test
  void badParametersAreRefusedWithAProblem() throws Exception {
    for (String q :
        List.of("?after=abc", "?after=-1", "?limit=0", "?limit=1001", "?wait=31", "?app_id=x")) {
      Export r = export(q);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("validation_failed");
    }
  }

  @Test
  void csvHoldsTheFilteredViewEscapedAndSafeForSpreadsheets() throws Exception {
    String appId = service.createApp("csv-" + System.nanoTime()).path("app_id").asText();
    String secretId =
        service.createSecret(appId, "stripe", "sk-csv-value", null).path("secret_id").asText();
    service.createSystemGrant(secretId, "csv");
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        service.running.baseUrl() + "/v1/audit/csv?app_id=" + appId + "&limit=50"))
                .header("Authorization", "Bearer " + service.adminKey)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    String[] rows = r.body().split("\r\n");
    assertThat(rows[0])
        .isEqualTo(
            "time,event_id,action,outcome,actor,app_id,secret_id,grant_id,principal,"
                + "destination_host,reason,fingerprint");
    assertThat(rows).hasSize(5); // header, grant.create, secret.create, app_key.create, app.create
    assertThat(rows[1]).contains(",grant.create,ok,");
    assertThat(rows[4]).contains(",app.create,ok,");
    assertThat(r.body()).doesNotContain("sk-csv-value");
    assertThat(dev.alter.service.app.AuditCsvAccess.field("=SUM(A1)")).isEqualTo("'=SUM(A1)");
    assertThat(dev.alter.service.app.AuditCsvAccess.field("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
    assertThat(dev.alter.service.app.AuditCsvAccess.field("-1,2")).isEqualTo("\"'-1,2\"");

    ApiClient.Response refused = service.api.get("/v1/audit/csv?cursor=abc", service.adminKey);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(service.api.get("/v1/audit/csv?limit=100001", service.adminKey).status())
        .isEqualTo(400);
  }
}
