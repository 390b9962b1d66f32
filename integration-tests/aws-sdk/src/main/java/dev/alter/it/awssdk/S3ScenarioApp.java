package dev.alter.it.awssdk;

import dev.alter.it.child.ChildReport;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The child app: an unchanged AWS SDK v2 S3 application. Arguments: the HTTP client ({@code
 * apache5}, {@code apache4}, {@code urlconnection}), a bucket-name prefix, then one or more runs
 * ({@link ScenarioRun}). Prints one JSON line per S3 call and a last one with the totals; exits 0
 * when every rightly keyed call succeeded.
 */
public final class S3ScenarioApp {
  private S3ScenarioApp() {}

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: S3ScenarioApp apache5|apache4|urlconnection bucketPrefix run...");
      System.exit(2);
    }
    SdkHttpClientKind kind = SdkHttpClientKind.of(args[0]);
    S3ClientFactory factory = new S3ClientFactory(kind);
    int failed = 0;
    for (int i = 2; i < args.length; i++) {
      ScenarioRun run = ScenarioRun.parse(args[i]);
      RequestObserver observer = new RequestObserver();
      String bucket = args[1] + "-" + run.name.replace('_', '-');
      try (S3Client good = factory.build(run, run.goodRef, observer);
          S3Client wrong =
              run.hasWrongKeySteps() ? factory.build(run, run.wrongRef, observer) : null) {
        failed += new S3Scenario(run, bucket, good, wrong, observer).runAll();
      }
    }
    ChildReport.create()
        .put("finished", true)
        .put("http_client", kind.id())
        .put("sdk_version", VersionInfo.SDK_VERSION)
        .put("java_version", Runtime.version().feature())
        .put("failed_steps", failed)
        .print();
    System.exit(failed == 0 ? 0 : 1);
  }
}
