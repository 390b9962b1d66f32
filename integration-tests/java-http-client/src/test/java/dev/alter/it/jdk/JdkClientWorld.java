package dev.alter.it.jdk;

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
 * Everything the JDK-client tests share in one test JVM: the real resolver service, stand-in
 * provider servers reached by provider-like names through a hosts file, and an app with secrets
 * and grants. Each credential is random per run, so finding it anywhere it must not be is proof.
 */
final class JdkClientWorld {
  /** IDNA form of "аpi.datadoghq.com" with a Cyrillic "а": a look-alike of the allowed host. */
  static final String LOOK_ALIKE_ASCII = java.net.IDN.toASCII("\u0430pi.datadoghq.com");
  static final String LOOK_ALIKE_UNICODE = "\u0430pi.datadoghq.com";

  private static JdkClientWorld instance;

  final Path workDir;
  final ResolverServiceProcess service;
  final TestCertificate certificate;
  final HostsFile hosts;
  /** HTTPS stand-in for api.datadoghq.com and api.openai.com. */
  final RecordingServer provider;
  /** The same kind of server on another port: an origin no secret allows. */
  final RecordingServer otherPort;
  /** Plain HTTP server: allowed only for the secret that explicitly permits plain HTTP. */
  final RecordingServer plain;

  final AdminClient.App app;
  final String datadogKey = "dd" + random(16);
  final String openAiKey = "sk-" + random(20);
  final String plainKey = "pk" + random(16);
  final String datadogGrant;
  final String openAiGrant;
  final String plainGrant;
  final String revokedGrant;

  private JdkClientWorld() {
    workDir = SharedResolverService.workDirectory("jdk-client");
    service = SharedResolverService.get();
    certificate = TestCertificate.generate(workDir,
        List.of("api.datadoghq.com", "api.openai.com", "evil.test", LOOK_ALIKE_ASCII));
    hosts = HostsFile.loopback(workDir, List.of("localhost.", "api.datadoghq.com", "api.datadoghq.com.",
        "API.DATADOGHQ.COM", "api.openai.com", "evil.test", LOOK_ALIKE_ASCII));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    otherPort = RecordingServer.https(certificate, "localhost");
    plain = RecordingServer.http("localhost");

    AdminClient admin = service.admin();
    app = admin.createApp("jdk-client-it-" + random(4));
    String datadogSecret = admin.storeSecret(NewSecret.provider(app.appId, "datadog", datadogKey)
        .destinations(datadogOrigin())).path("secret_id").asText();
    String openAiSecret = admin.storeSecret(NewSecret.provider(app.appId, "openai", openAiKey)
        .destinations(openAiOrigin())).path("secret_id").asText();
    String plainSecret = admin.storeSecret(NewSecret.customHeader(app.appId, plainKey, "X-Api-Key",
        "{credential}").destinations(plain.origin()).allowPlainHttp(true)).path("secret_id").asText();
    datadogGrant = admin.createSystemGrant(datadogSecret, "jdk-it-datadog");
    openAiGrant = admin.createSystemGrant(openAiSecret, "jdk-it-openai");
    plainGrant = admin.createSystemGrant(plainSecret, "jdk-it-plain");
    revokedGrant = admin.createSystemGrant(datadogSecret, "jdk-it-revoked");
    admin.revokeGrant(revokedGrant);
  }

  static synchronized JdkClientWorld get() {
    if (instance == null) {
      instance = new JdkClientWorld();
    }
    return instance;
  }

  String datadogOrigin() {
    return "https://api.datadoghq.com:" + provider.port();
  }

  String openAiOrigin() {
    return "https://api.openai.com:" + provider.port();
  }

  List<String> credentials() {
    return List.of(datadogKey, openAiKey, plainKey);
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
