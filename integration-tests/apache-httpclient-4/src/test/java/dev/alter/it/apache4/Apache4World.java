package dev.alter.it.apache4;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything the Apache HttpClient 4.5 tests share in one test JVM: the real resolver service,
 * stand-in provider servers reached by provider-like names through a hosts file (every bypass
 * name resolves to loopback and is in the certificate, so the refusal comes from the agent, not
 * from DNS or TLS), and an app with secrets and grants. Credentials are random per run, so
 * finding one anywhere it must not be is proof.
 */
final class Apache4World {
  /** IDNA form of "аpi.datadoghq.com" with a Cyrillic "а": a look-alike of the allowed host. */
  static final String LOOK_ALIKE_ASCII = java.net.IDN.toASCII("\u0430pi.datadoghq.com");
  static final String UNDERSCORE_HOST = "api_dd.datadoghq.com";

  private static Apache4World instance;

  final Path workDir;
  final ResolverServiceProcess service;
  final TestCertificate certificate;
  final HostsFile hosts;
  /** HTTPS stand-in for api.datadoghq.com and api.stripe.com. */
  final RecordingServer provider;
  /** The same kind of server on another port: an origin no secret allows. */
  final RecordingServer otherPort;
  /** Plain HTTP server: allowed only for the secret that explicitly permits plain HTTP. */
  final RecordingServer plain;

  final AdminClient.App app;
  final String datadogKey = "dd" + random(16);
  final String stripeKey = "sk_live_" + random(16);
  final String plainKey = "pk" + random(16);
  final String datadogGrant;
  final String stripeGrant;
  final String plainGrant;
  final String revokedGrant;

  private Apache4World() {
    workDir = SharedResolverService.workDirectory("apache4");
    service = SharedResolverService.get();
    List<String> names = List.of("api.datadoghq.com", "api.stripe.com", "evil.test",
        LOOK_ALIKE_ASCII, UNDERSCORE_HOST);
    certificate = TestCertificate.generate(workDir, names);
    hosts = HostsFile.loopback(workDir, List.of("api.datadoghq.com", "api.datadoghq.com.",
        "API.DATADOGHQ.COM", "api.stripe.com", "evil.test", LOOK_ALIKE_ASCII, UNDERSCORE_HOST));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    otherPort = RecordingServer.https(certificate, "localhost");
    plain = RecordingServer.http("localhost");

    AdminClient admin = service.admin();
    app = admin.createApp("apache4-it-" + random(4));
    String datadogSecret = admin.storeSecret(NewSecret.provider(app.appId, "datadog", datadogKey)
        .destinations(datadogOrigin())).path("secret_id").asText();
    String stripeSecret = admin.storeSecret(NewSecret.provider(app.appId, "stripe", stripeKey)
        .destinations(stripeOrigin())).path("secret_id").asText();
    String plainSecret = admin.storeSecret(NewSecret.customHeader(app.appId, plainKey, "X-Api-Key",
        "{credential}").destinations(plain.origin()).allowPlainHttp(true)).path("secret_id").asText();
    datadogGrant = admin.createSystemGrant(datadogSecret, "apache4-it-datadog");
    stripeGrant = admin.createSystemGrant(stripeSecret, "apache4-it-stripe");
    plainGrant = admin.createSystemGrant(plainSecret, "apache4-it-plain");
    revokedGrant = admin.createSystemGrant(datadogSecret, "apache4-it-revoked");
    admin.revokeGrant(revokedGrant);
  }

  static synchronized Apache4World get() {
    if (instance == null) {
      instance = new Apache4World();
    }
    return instance;
  }

  String datadogOrigin() {
    return "https://api.datadoghq.com:" + provider.port();
  }

  String stripeOrigin() {
    return "https://api.stripe.com:" + provider.port();
  }

  List<String> credentials() {
    return List.of(datadogKey, stripeKey, plainKey);
  }

  void clearRecordings() {
    provider.clear();
    otherPort.clear();
    plain.clear();
  }

  int requestsReceivedEverywhere() {
    return provider.requestCount() + otherPort.requestCount() + plain.requestCount();
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
