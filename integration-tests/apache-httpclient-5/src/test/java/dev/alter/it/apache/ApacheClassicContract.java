package dev.alter.it.apache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.JavaRuntime;
import org.junit.jupiter.api.Test;

/** The classic client adds one way to dial a host other than the request's authority. */
abstract class ApacheClassicContract extends ApacheHttpClientContract {
  ApacheClassicContract(JavaRuntime runtime, ApacheClientVersion version) {
    super(runtime, version, "classic");
  }

  @Test
  void explicitTargetHostIsWhatTheDestinationCheckSees() {
    // the request names the allowed host; the connection goes to evil.test (same server, and
    // a certificate valid for that name): the agent checks the host dialled and refuses
    ApacheClientWorld world = world();
    JsonNode report = sendVia("https://evil.test:" + world.provider.port(),
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(world.datadogGrant));

    assertFailedClosed(report, "host_not_allowed", world.datadogGrant);
  }

  @Test
  void explicitTargetThatIsTheAllowedHostGetsTheCredential() {
    ApacheClientWorld world = world();
    JsonNode report = sendVia(world.datadogOrigin(),
        ChildRequest.get(world.datadogOrigin() + "/api/v1/validate").grant(world.datadogGrant));

    assertThat(report.path("status").asInt()).as("app report %s", report).isEqualTo(200);
    assertThat(world.provider.singleRequest().headerValues("DD-API-KEY")).containsExactly(world.datadogKey);
  }
}
