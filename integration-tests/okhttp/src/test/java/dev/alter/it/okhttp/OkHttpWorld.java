package dev.alter.it.okhttp;

import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RecordingServer;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.net.IDN;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything the OkHttp tests share in one test JVM: the real resolver service, stand-in
 * provider servers reached by provider-like names through a hosts file, and an app with secrets
 * and grants. Each credential is random per run, so finding it anywhere it must not be is proof.
 */
final class OkHttpWorld {
  /** "аpi.datadoghq.com" with a Cyrillic "а": a look-alike of the allowed host. */
  static final String LOOK_ALIKE_UNICODE = "\u0430pi.datadoghq.com";
  static final String LOOK_ALIKE_ASCII = IDN.toASCII(LOOK_ALIKE_UNICODE);
  /** Resolvable and in the certificate, so only destination binding can refuse it. */
  static final String UNDERSCORE_HOST = "api_dd.datadoghq.com";

  private static OkHttpWorld instance;

  final Path workDir;
  final ResolverServiceProcess service;
  final TestCertificate certificate;
  final HostsFile hosts;
  /** HTTPS stand-in for api.datadoghq.com and api.openai.com (HTTP/2 and HTTP/1.1 by ALPN). */
  final RecordingServer provider;
  /** The same kind of server on another port: an origin no secret allows. */
  final RecordingServer otherPort;
  /** Plain HTTP server: allowed only for the secret that explicitly permits plain HTTP. */
  final RecordingServer plain;

  final AdminClient admin;
  final AdminClient.App app;
  final String datadogKey = "dd" + random(16);
  final String openAiKey = "sk-" + random(20);
  final String plainKey = "pk" + random(16);
  final String queryKey = "qk" + random(16);
  final String datadogSecret;
  final String datadogGrant;
  final String openAiGrant;
  final String plainGrant;
  final String queryGrant;
  final String revokedGrant;

  private OkHttpWorld() {
    workDir = SharedResolverService.workDirectory("okhttp");
    service = SharedResolverService.get();
    certificate = TestCertificate.generate(workDir,
        List.of("api.datadoghq.com", "api.openai.com", "evil.test", LOOK_ALIKE_ASCII, UNDERSCORE_HOST));
    hosts = HostsFile.loopback(workDir, List.of("api.datadoghq.com", "api.datadoghq.com.",
        "api.openai.com", "evil.test", LOOK_ALIKE_ASCII, UNDERSCORE_HOST));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    otherPort = RecordingServer.https(certificate, "localhost");
    plain = RecordingServer.http("localhost");

    admin = service.admin();
    app = admin.createApp("okhttp-it-" + random(4));
    datadogSecret = admin.storeSecret(NewSecret.provider(app.appId, "datadog", datadogKey)
        .destinations(datadogOrigin())).path("secret_id").asText();
    String openAiSecret = admin.storeSecret(NewSecret.provider(app.appId, "openai", openAiKey)
        .destinations(openAiOrigin())).path("secret_id").asText();
    String plainSecret = admin.storeSecret(NewSecret.customHeader(app.appId, plainKey, "X-Api-Key",
        "{credential}").destinations(plain.origin()).allowPlainHttp(true)).path("secret_id").asText();
    String querySecret = admin.storeSecret(NewSecret.customQuery(app.appId, queryKey, "api_key")
        .destinations(datadogOrigin())).path("secret_id").asText();
    datadogGrant = admin.createSystemGrant(datadogSecret, "okhttp-it-datadog");
    openAiGrant = admin.createSystemGrant(openAiSecret, "okhttp-it-openai");
    plainGrant = admin.createSystemGrant(plainSecret, "okhttp-it-plain");
    queryGrant = admin.createSystemGrant(querySecret, "okhttp-it-query");
    revokedGrant = admin.createSystemGrant(datadogSecret, "okhttp-it-revoked");
    admin.revokeGrant(revokedGrant);
  }

  static synchronized OkHttpWorld get() {
    if (instance == null) {
      instance = new OkHttpWorld();
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
    return List.of(datadogKey, openAiKey, plainKey, queryKey);
  }

  void clearRecordings() {
    provider.clear();
    otherPort.clear();
    plain.clear();
  }

  int requestsReceivedEverywhere() {
    return provider.requestCount() + otherPort.requestCount() + plain.requestCount();
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
