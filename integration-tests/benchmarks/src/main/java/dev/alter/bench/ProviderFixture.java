package dev.alter.bench;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * One app in a running resolver service with a secret injected as {@code DD-API-KEY} into requests
 * to the plain-HTTP stand-in provider (plain HTTP explicitly allowed on the secret, so the figures
 * measure the agent, not TLS), and a grant of it. The credential is random per run.
 */
final class ProviderFixture {
  static final String HEADER = "DD-API-KEY";

  final ResolverServiceProcess service;
  final RecordingServer provider;
  final AdminClient admin;
  final AdminClient.App app;
  final String credential;
  final String secretId;
  final String grant;

  ProviderFixture(ResolverServiceProcess service, RecordingServer provider, String name) {
    this.service = service;
    this.provider = provider;
    this.admin = service.admin();
    this.app = admin.createApp(name + "-" + RandomHex.of(4));
    this.credential = "bench" + RandomHex.of(16);
    // the longest TTL: a warm cache stays warm for the whole run
    this.secretId =
        admin.storeSecretId(
            NewSecret.customHeader(app.appId, credential, HEADER, "{credential}")
                .destinations(provider.origin())
                .allowPlainHttp(true)
                .ttlSeconds(3600));
    this.grant = admin.createSystemGrant(secretId, name);
  }

  /** More grants of the same secret: each is a separate cache entry in the agent. */
  List<String> createGrants(int count, String label) {
    List<String> grants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      grants.add(admin.createSystemGrant(secretId, label + "-" + i));
    }
    return grants;
  }

  String url() {
    return provider.url("/v1/bench");
  }
}
