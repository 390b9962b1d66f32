package dev.alter.it.awssdk;

import dev.alter.it.child.ChildReport;
import dev.alter.it.harness.AdminClient;
import dev.alter.it.harness.ChildJvm;
import dev.alter.it.harness.ClientJars;
import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import dev.alter.it.harness.ResolverServiceProcess;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What every AWS SDK test in this JVM shares: one s3proxy (HTTPS with the test certificate for the
 * real S3 host name and its virtual-hosted bucket names, and plain HTTP), one real resolver
 * service, and an app holding {@code aws} secrets with the server's access key id and the right or
 * a wrong secret access key, for the AWS host names and for a custom endpoint, each granted to the
 * system (tests add their own plain-HTTP and session-token secrets).
 */
final class AwsWorld {
  static final String S3_HOST = "s3.eu-west-1.amazonaws.com";

  private static AwsWorld instance;

  final Path workDir;
  final TestCertificate certificate;
  final S3ProxyServer s3;
  final ResolverServiceProcess service;
  final AdminClient.App app;
  final String wrongSecretAccessKey;
  final String goodGrant;
  final String wrongGrant;

  /** For {@code https://localhost:port}, a host that names no region or service. */
  final String customEndpointGrant;

  final String wrongCustomEndpointGrant;

  private AwsWorld() {
    workDir = SharedResolverService.workDirectory("aws-sdk");
    certificate = TestCertificate.generate(workDir, List.of(S3_HOST, "*." + S3_HOST));
    s3 = S3ProxyServer.start(certificate);
    Runtime.getRuntime().addShutdownHook(new Thread(s3::close, "stop-s3proxy"));
    service = SharedResolverService.get();
    wrongSecretAccessKey = "wrong" + RandomHex.of(18);

    AdminClient admin = service.admin();
    app = admin.createApp("aws-sdk-it-" + RandomHex.of(4));
    goodGrant = grant(admin, s3.secretAccessKey, "right-key");
    wrongGrant = grant(admin, wrongSecretAccessKey, "wrong-key");
    customEndpointGrant = customEndpointGrant(admin, s3.secretAccessKey, "custom-endpoint");
    wrongCustomEndpointGrant =
        customEndpointGrant(admin, wrongSecretAccessKey, "custom-endpoint-wrong-key");
  }

  static synchronized AwsWorld get() {
    if (instance == null) {
      instance = new AwsWorld();
    }
    return instance;
  }

  /** A system grant of a new {@code aws} secret (server's access key id) for the HTTPS origin. */
  private String grant(AdminClient admin, String secretAccessKey, String label) {
    NewSecret secret =
        NewSecret.provider(app.appId, "aws", s3.accessKeyId)
            .credentialPart("secret_access_key", secretAccessKey)
            .label("aws-sdk-it-" + label)
            .destinations(httpsOrigin(), virtualHostedOrigins());
    String secretId = admin.storeSecretId(secret);
    return admin.createSystemGrant(secretId, "aws-sdk-it-" + label);
  }

  /**
   * An S3-compatible endpoint that is not an AWS host name (as for a self-hosted store): the
   * operator sets the signing scope on the secret's injection.
   */
  private String customEndpointGrant(AdminClient admin, String secretAccessKey, String label) {
    NewSecret secret =
        NewSecret.provider(app.appId, "aws", s3.accessKeyId)
            .credentialPart("secret_access_key", secretAccessKey)
            .label("aws-sdk-it-" + label)
            .injection(
                Map.of(
                    "type", "aws_sigv4", "aws_region", S3ProxyServer.REGION, "aws_service", "s3"))
            .destinations(customEndpoint());
    String secretId = admin.storeSecretId(secret);
    return admin.createSystemGrant(secretId, "aws-sdk-it-" + label);
  }

  /** s3proxy (its path-only twin) under the name {@code localhost}. */
  String customEndpoint() {
    return "https://localhost:" + s3.pathOnlyHttpsPort();
  }

  /**
   * A grant of a secret with the right key and a session token, for one origin that may be plain
   * HTTP (the operator's explicit allowance; used where the test reads the bytes on the wire).
   */
  String grantWithSessionToken(String sessionToken, String origin, String label) {
    return grantWithSessionToken(sessionToken, origin, label, null);
  }

  /** The same, for a session that expires at {@code expiresAt} (null: no expiry given). */
  String grantWithSessionToken(
      String sessionToken, String origin, String label, Instant expiresAt) {
    AdminClient admin = service.admin();
    NewSecret secret =
        NewSecret.provider(app.appId, "aws", s3.accessKeyId)
            .credentialPart("secret_access_key", s3.secretAccessKey)
            .credentialPart("session_token", sessionToken)
            .label("aws-sdk-it-" + label)
            .destinations(origin)
            .allowPlainHttp(origin.startsWith("http://"));
    if (expiresAt != null) {
      secret.credentialPart("session_expires_at", expiresAt.toString());
    }
    String secretId = admin.storeSecretId(secret);
    return admin.createSystemGrant(secretId, "aws-sdk-it-" + label);
  }

  /**
   * Every virtual-hosted bucket origin ({@code https://BUCKET.s3.eu-west-1.amazonaws.com:port}).
   */
  String virtualHostedOrigins() {
    return "https://*." + S3_HOST + ":" + s3.httpsPort();
  }

  /** The origin the SDK dials: the real S3 host name, on s3proxy's HTTPS port. */
  String httpsOrigin() {
    return "https://" + S3_HOST + ":" + s3.httpsPort();
  }

  /**
   * The child app with exactly one SDK HTTP client, trusting the test certificate, with a hosts
   * file that maps the S3 host name and the bucket host names of its virtual-hosted runs (a hosts
   * file has no wildcards) to loopback.
   */
  ChildJvm child(SdkHttpClientKind client, String bucketPrefix, String... runs) {
    String[] arguments =
        Stream.concat(Stream.of(client.id(), bucketPrefix), Stream.of(runs)).toArray(String[]::new);
    List<String> hostNames = new ArrayList<>(List.of(S3_HOST));
    for (String run : runs) {
      String[] fields = run.split(",");
      if (fields[2].equals("virtual")) {
        String bucket = bucketPrefix + "-" + fields[0].replace('_', '-');
        hostNames.add(bucket + "." + S3_HOST);
        hostNames.add(bucket + "-w." + S3_HOST);
      }
    }
    ChildJvm child =
        ChildJvm.create()
            .main(S3ScenarioApp.class, arguments)
            .classpathOf(
                ChildReport.class,
                org.slf4j.LoggerFactory.class,
                org.slf4j.nop.NOPServiceProvider.class)
            .trusting(certificate)
            .hosts(HostsFile.loopback(workDir.resolve(bucketPrefix), hostNames))
            .timeout(Duration.ofMinutes(3));
    for (Path jar : clientJars(client)) {
      child.classpathEntry(jar);
    }
    return child;
  }

  private static List<Path> clientJars(SdkHttpClientKind client) {
    return ClientJars.in("alter.it.clients", client.id());
  }
}
