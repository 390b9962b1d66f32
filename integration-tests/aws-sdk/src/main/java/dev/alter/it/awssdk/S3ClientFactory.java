package dev.alter.it.awssdk;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client exactly as an application would: region eu-west-1, the endpoint override (a
 * real AWS host name that the child's hosts file maps to loopback), path-style or virtual-hosted
 * addressing, one HTTP client, and either the agent contract (anonymous credentials plus an {@code
 * alter-grant} default header) or the SDK's own signing with static keys (the control case).
 */
final class S3ClientFactory {
  private final SdkHttpClientKind httpClient;

  S3ClientFactory(SdkHttpClientKind httpClient) {
    this.httpClient = httpClient;
  }

  S3Client build(ScenarioRun run, String credentialRef, RequestObserver observer) {
    String reference = System.getenv(credentialRef);
    if (reference == null || reference.isEmpty()) {
      throw new IllegalStateException("environment variable " + credentialRef + " is not set");
    }
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(httpClient.builder())
            .region(Region.EU_WEST_1)
            .endpointOverride(run.endpoint)
            .forcePathStyle(run.pathStyle);
    if (run.checksumWhenRequired) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    if (run.agentSigns) {
      builder
          .credentialsProvider(AnonymousCredentialsProvider.create())
          .overrideConfiguration(
              c -> c.putHeader("alter-grant", reference).addExecutionInterceptor(observer));
    } else {
      builder
          .credentialsProvider(staticKeys(reference))
          .overrideConfiguration(c -> c.addExecutionInterceptor(observer));
    }
    return builder.build();
  }

  private static AwsCredentialsProvider staticKeys(String keyIdColonSecret) {
    int colon = keyIdColonSecret.indexOf(':');
    if (colon < 1) {
      throw new IllegalStateException("static credentials must be keyId:secret");
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            keyIdColonSecret.substring(0, colon), keyIdColonSecret.substring(colon + 1)));
  }
}
