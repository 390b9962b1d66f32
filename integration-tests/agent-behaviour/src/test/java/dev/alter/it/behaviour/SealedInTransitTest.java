package dev.alter.it.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordingTcpProxy;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.RunningChild;
import dev.alter.it.harness.SharedResolverService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md invariant 3 seen from the network: everything between the agent and the resolver
 * service is recorded by a relay (as a logging, TLS-terminating proxy would see it), and the
 * credential is nowhere in it, in any common encoding, although the provider received it.
 */
class SealedInTransitTest {
  @Test
  void credentialCrossesTheWireFromServiceToAgentOnlySealed() {
    ResolverServiceProcess service = SharedResolverService.get();
    AdminClient admin = service.admin();
    AdminClient.App app = admin.createApp("sealed-it-" + System.nanoTime());
    try (StandInProvider provider = new StandInProvider("sealed");
        RecordingTcpProxy wire = RecordingTcpProxy.to(service.port())) {
      String credential = StandInProvider.randomCredential("dd");
      String grant =
          admin.createSystemGrant(
              admin.storeSecretId(
                  NewSecret.provider(app.appId, "datadog", credential)
                      .destinations(provider.origin())),
              "sealed");

      try (RunningChild child = provider.startApp("http://127.0.0.1:" + wire.port(), app.apiKey)) {
        JsonNode report =
            child.ask(
                "request "
                    + ChildRequest.get(provider.origin() + "/api/v1/validate")
                        .grant(grant)
                        .toLine());
        ResolverCacheTest.assertOk(report);
      }

      assertThat(provider.server.singleRequest().headerValues("DD-API-KEY"))
          .containsExactly(credential);
      String seen = wire.capturedText();
      assertThat(seen)
          .as("the resolve exchange went through the relay")
          .contains("/v1/resolve", grant, "\"sealed\"");
      byte[] raw = credential.getBytes(StandardCharsets.UTF_8);
      assertThat(seen)
          .doesNotContain(credential)
          .doesNotContain(Base64.getEncoder().encodeToString(raw))
          .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }
  }
}
