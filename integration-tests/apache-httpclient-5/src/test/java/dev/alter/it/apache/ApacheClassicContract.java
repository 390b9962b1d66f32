package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import org.junit.jupiter.api.Test;

/**
 * The classic client can dial a host other than the request's own authority ({@code
 * execute(HttpHost target, request)}); the destination check must follow the connection.
 */
abstract class ApacheClassicContract extends ApacheHttpClientContract {
  private final ApacheClientVersion version;

  ApacheClassicContract(JavaRuntime runtime, ApacheClientVersion version) {
    super(runtime, version, "classic");
    this.version = version;
  }

  @Test
  void explicitTargetOverPlainHttpIsCheckedOnTheHostDialled() {
    // the request names the allowed http://localhost origin; the socket goes to 127.0.0.1
    JsonNode report =
        sendVia(
            "http://127.0.0.1:" + world.plain.port(),
            ChildRequest.get(world.plain.url("/ingest")).grant(world.plainGrant));

    assertFailedClosed(report, "host_not_allowed", world.plainGrant);
  }

  @Test
  void explicitTargetOverTlsIsCheckedOnTheNameTlsVerified() {
    // The connection goes to evil.test (same server; the test certificate is valid for both
    // names). Client 5.1 verifies the server as evil.test: refused. From 5.4 on, a secure route
    // whose request authority differs from the target verifies the server as that authority, so
    // the server proved it is api.datadoghq.com and the credential may go to it.
    JsonNode report =
        sendVia(
            "https://evil.test:" + world.provider.port(),
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(world.datadogGrant));

    if (version == ApacheClientVersion.V5_1) {
      assertFailedClosed(report, "host_not_allowed", world.datadogGrant);
    } else {
      assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
      assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
          .containsExactly(world.datadogKey);
    }
  }

  @Test
  void explicitTargetThatIsTheAllowedHostGetsTheCredential() {
    JsonNode report =
        sendVia(
            world.datadogOrigin(),
            ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(world.datadogGrant));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY"))
        .containsExactly(world.datadogKey);
  }
}
