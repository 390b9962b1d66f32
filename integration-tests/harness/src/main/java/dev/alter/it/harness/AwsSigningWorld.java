package dev.alter.it.harness;

import dev.alter.it.child.AwsSigningScenario;
import java.nio.file.Path;
import java.util.List;

/**
 * The service side of {@link AwsSigningScenario}: one HTTPS {@link RecordingServer} that stands in
 * for both {@code sqs.eu-west-1.amazonaws.com} and {@code s3.eu-west-1.amazonaws.com} (a hosts file
 * maps them to 127.0.0.1), and an {@code aws} secret (random access key id, secret access key and
 * session token per run) stored in the real resolver service, granted to a system principal. One
 * per test JVM.
 */
public final class AwsSigningWorld {
  public static final String REGION = "eu-west-1";

  private static AwsSigningWorld instance;

  public final Path workDir;
  public final ResolverServiceProcess service;
  public final TestCertificate certificate;
  public final HostsFile hosts;
  public final RecordingServer aws;
  public final AdminClient.App app;
  public final String accessKeyId = "AKIA" + RandomHex.of(8).toUpperCase();
  public final String secretAccessKey = RandomHex.of(20);
  public final String sessionToken = "IQoJb3JpZ2luX2VjE" + RandomHex.of(24);
  public final String grant;

  private AwsSigningWorld() {
    workDir = SharedResolverService.workDirectory("aws-signing");
    service = SharedResolverService.get();
    List<String> names = List.of(AwsSigningScenario.SQS_HOST, AwsSigningScenario.S3_HOST);
    certificate = TestCertificate.generate(workDir, names);
    hosts = HostsFile.loopback(workDir, names);
    aws = RecordingServer.https(certificate, AwsSigningScenario.SQS_HOST);

    AdminClient admin = service.admin();
    app = admin.createApp("aws-signing-it-" + RandomHex.of(4));
    String secretId =
        admin.storeSecretId(
            NewSecret.provider(app.appId, "aws", accessKeyId)
                .label("aws-signing-it")
                .credentialPart("secret_access_key", secretAccessKey)
                .credentialPart("session_token", sessionToken)
                .destinations(
                    "https://" + AwsSigningScenario.SQS_HOST + ":" + aws.port(),
                    "https://" + AwsSigningScenario.S3_HOST + ":" + aws.port()));
    grant = admin.createSystemGrant(secretId, "aws-signing-it");
  }

  public static synchronized AwsSigningWorld get() {
    if (instance == null) {
      instance = new AwsSigningWorld();
    }
    return instance;
  }

  /** The arguments {@link AwsSigningScenario#run} takes. */
  public String[] scenarioArguments() {
    return new String[] {String.valueOf(aws.port()), grant};
  }

  public SigV4Verifier verifier(String service) {
    return new SigV4Verifier(accessKeyId, secretAccessKey, REGION, service);
  }

  /**
   * A child JVM under the real agent, configured for this world (add the client's classpath and
   * main).
   */
  public ChildJvm child(JavaRuntime runtime) {
    return ChildJvm.create()
        .runtime(runtime)
        .withAgent()
        .resolver(service.baseUrl(), app.apiKey)
        .trusting(certificate)
        .hosts(hosts)
        .timeout(java.time.Duration.ofMinutes(3));
  }
}
