package dev.alter.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.http.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodesTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void principalsReadAsKindAndIds() throws Exception {
    assertThat(Nodes.principal(json("{\"type\":\"system\",\"label\":\"prod\"}")))
        .isEqualTo("system:prod");
    assertThat(
            Nodes.principal(json("{\"type\":\"user\",\"user_id\":\"alice\",\"idp_id\":\"idp_1\"}")))
        .isEqualTo("user:alice@idp_1");
    assertThat(
            Nodes.principal(
                json("{\"type\":\"group\",\"external_group_id\":\"ops\",\"idp_id\":\"idp_1\"}")))
        .isEqualTo("group:ops@idp_1");
    assertThat(Nodes.principal(json("{\"type\":\"agent\",\"agent_id\":\"agt_1\"}")))
        .isEqualTo("agent:agt_1");
    assertThat(Nodes.principal(json("{}"))).isNull();
  }

  @Test
  void injectionShowsTemplatesNotValues() throws Exception {
    assertThat(
            Nodes.injection(
                json(
                    "{\"type\":\"header\",\"headers\":["
                        + "{\"name\":\"DD-API-KEY\",\"template\":\"{credential}\",\"optional\":false},"
                        + "{\"name\":\"DD-APPLICATION-KEY\",\"template\":\"{application_key}\",\"optional\":true}]}")))
        .isEqualTo(
            "header DD-API-KEY: {credential}; DD-APPLICATION-KEY: {application_key} (optional)");
    assertThat(Nodes.injection(json("{\"type\":\"basic\",\"username\":\"AC123\"}")))
        .isEqualTo("basic username=AC123");
    assertThat(Nodes.injection(json("{\"type\":\"basic\"}"))).isEqualTo("basic");
    assertThat(Nodes.injection(json("{\"type\":\"query\",\"query_param\":\"api_key\"}")))
        .isEqualTo("query param=api_key");
    assertThat(Nodes.injection(json("{\"type\":\"aws_sigv4\",\"aws_region\":\"eu-west-1\"}")))
        .isEqualTo("aws_sigv4 region=eu-west-1");
  }

  @Test
  void grantStatusFollowsRevocationThenExpiry() throws Exception {
    assertThat(
            Nodes.grantStatus(
                json(
                    "{\"revoked_at\":\"2026-01-01T00:00:00Z\","
                        + "\"expires_at\":\"2099-01-01T00:00:00Z\"}"),
                NOW))
        .isEqualTo("revoked");
    assertThat(Nodes.grantStatus(json("{\"expires_at\":\"2026-11-28T11:59:59Z\"}"), NOW))
        .isEqualTo("expired");
    assertThat(Nodes.grantStatus(json("{\"expires_at\":\"2026-11-28T12:00:01Z\"}"), NOW))
        .isEqualTo("active");
    assertThat(Nodes.grantStatus(json("{\"revoked_at\":null}"), NOW)).isEqualTo("active");
  }

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }
}
