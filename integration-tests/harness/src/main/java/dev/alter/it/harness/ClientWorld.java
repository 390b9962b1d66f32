package dev.alter.it.harness;

import java.net.IDN;
import java.nio.file.Path;
import java.util.List;

/**
 * What the HTTP-client tests share in one test JVM: the real resolver service, stand-in provider
 * servers reached by provider names through a hosts file (every bypass name resolves to loopback
 * and is in the certificate, so a refusal comes from the agent or the client, not from DNS or TLS),
 * and an app with secrets and grants. Credentials are random per run, so finding one anywhere it
 * must not be is proof.
 */
public final class ClientWorld {
  /** "аpi.datadoghq.com" with a Cyrillic "а": a look-alike of the allowed host. */
  public static final String LOOK_ALIKE_UNICODE = "\u0430pi.datadoghq.com";

  public static final String LOOK_ALIKE_ASCII = IDN.toASCII(LOOK_ALIKE_UNICODE);

  /** Resolvable and in the certificate, so only destination binding can refuse it. */
  public static final String UNDERSCORE_HOST = "api_dd.datadoghq.com";

  private static ClientWorld instance;

  public final Path workDir;
  public final ResolverServiceProcess service;
  public final AdminClient admin;
  public final TestCertificate certificate;
  public final HostsFile hosts;

  /** HTTPS (HTTP/2 and HTTP/1.1 by ALPN) stand-in for the Datadog, OpenAI and Stripe APIs. */
  public final RecordingServer provider;

  /** The same kind of server on another port: an origin no secret allows. */
  public final RecordingServer otherPort;

  /** Plain HTTP server: allowed only for the secret that explicitly permits plain HTTP. */
  public final RecordingServer plain;

  public final AdminClient.App app;
  public final String datadogKey = "dd" + RandomHex.of(16);
  public final String openAiKey = "sk-" + RandomHex.of(20);
  public final String stripeKey = "sk_live_" + RandomHex.of(16);
  public final String plainKey = "pk" + RandomHex.of(16);
  public final String queryKey = "qk" + RandomHex.of(16);
  public final String datadogSecret;
  public final String datadogGrant;
  public final String openAiGrant;
  public final String stripeGrant;
  public final String plainGrant;

  /** Adds {@code api_key=<queryKey>} to the query of requests to the Datadog origin. */
  public final String queryGrant;

  public final String revokedGrant;

  private ClientWorld() {
    workDir = SharedResolverService.workDirectory("client-world");
    service = SharedResolverService.get();
    certificate =
        TestCertificate.generate(
            workDir,
            List.of(
                "api.datadoghq.com",
                "api.openai.com",
                "api.stripe.com",
                "evil.test",
                LOOK_ALIKE_ASCII,
                UNDERSCORE_HOST));
    hosts =
        HostsFile.loopback(
            workDir,
            List.of(
                "localhost.",
                "api.datadoghq.com",
                "api.datadoghq.com.",
                "API.DATADOGHQ.COM",
                "api.openai.com",
                "api.stripe.com",
                "evil.test",
                LOOK_ALIKE_ASCII,
                UNDERSCORE_HOST));
    provider = RecordingServer.https(certificate, "api.datadoghq.com");
    otherPort = RecordingServer.https(certificate, "localhost");
    plain = RecordingServer.http("localhost");

    admin = service.admin();
    app = admin.createApp("client-it-" + RandomHex.of(4));
    datadogSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "datadog", datadogKey).destinations(datadogOrigin()));
    String openAiSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "openai", openAiKey).destinations(openAiOrigin()));
    String stripeSecret =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "stripe", stripeKey).destinations(stripeOrigin()));
    String plainSecret =
        admin.storeSecretId(
            NewSecret.customHeader(app.appId, plainKey, "X-Api-Key", "{credential}")
                .destinations(plain.origin())
                .allowPlainHttp(true));
    String querySecret =
        admin.storeSecretId(
            NewSecret.customQuery(app.appId, queryKey, "api_key").destinations(datadogOrigin()));
    datadogGrant = admin.createSystemGrant(datadogSecret, "client-it-datadog");
    openAiGrant = admin.createSystemGrant(openAiSecret, "client-it-openai");
    stripeGrant = admin.createSystemGrant(stripeSecret, "client-it-stripe");
    plainGrant = admin.createSystemGrant(plainSecret, "client-it-plain");
    queryGrant = admin.createSystemGrant(querySecret, "client-it-query");
    revokedGrant = admin.createSystemGrant(datadogSecret, "client-it-revoked");
    admin.revokeGrant(revokedGrant);
  }

  public static synchronized ClientWorld get() {
    if (instance == null) {
      instance = new ClientWorld();
    }
    return instance;
  }

  public String datadogOrigin() {
    return "https://api.datadoghq.com:" + provider.port();
  }

  public String openAiOrigin() {
    return "https://api.openai.com:" + provider.port();
  }

  public String stripeOrigin() {
    return "https://api.stripe.com:" + provider.port();
  }

  public List<String> credentials() {
    return List.of(datadogKey, openAiKey, stripeKey, plainKey, queryKey);
  }

  public void clearRecordings() {
    provider.clear();
    otherPort.clear();
    plain.clear();
  }

  public int requestsReceivedEverywhere() {
    return provider.requestCount() + otherPort.requestCount() + plain.requestCount();
  }
}
