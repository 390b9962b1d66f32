package dev.alter.agent.injection.aws;

import dev.alter.agent.resolver.ResolveFailure;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.agent.resolver.ResolverBackend;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.aws.AwsDerivedCredential;
import dev.alter.contract.aws.AwsEndpoint;
import dev.alter.contract.aws.AwsScope;
import dev.alter.contract.aws.AwsSigningKey;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers resolves of an AWS secret as the service does: derives the signing key from a known
 * secret for (the agent's signing date, the region/service of the AWS host or the secret's
 * configured ones); it seals nothing (the agent's opening is tested elsewhere).
 */
final class FakeAwsResolver implements ResolverBackend {
  static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String SESSION_TOKEN = "FQoGZXIvYXdzEJr//////////wEaDExampleSessionToken==";
  static final String DEFAULT_REGION = "us-east-1";
  static final String DEFAULT_SERVICE = "s3";

  /** One resolve as the service saw it. */
  static final class Call {
    final String grant;
    final String url;
    final String signingDate;

    Call(String grant, String url, String signingDate) {
      this.grant = grant;
      this.url = url;
      this.signingDate = signingDate;
    }
  }

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile String sessionToken;
  volatile long sessionExpiresAtEpochSeconds;

  /** Non-null: derive for this date whatever the agent asked (a service whose clock is off). */
  volatile String dateOverride;

  /** Non-null: answer with this failure. */
  volatile ErrorCode failWith;

  volatile int ttlSeconds = 3600;

  @Override
  public CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url) {
    throw new AssertionError("the agent must send its signing date");
  }

  @Override
  public CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url, String signingDate) {
    calls.add(new Call(grant, url, signingDate));
    CompletableFuture<ResolvedCredential> answer = new CompletableFuture<>();
    if (failWith != null) {
      answer.completeExceptionally(
          new ResolveFailure(failWith, grant, "the fake service says " + failWith.code()));
      return answer;
    }
    AwsEndpoint endpoint = AwsEndpoint.fromHost(URI.create(url).getHost());
    String region = endpoint == null ? DEFAULT_REGION : endpoint.region();
    String service =
        endpoint == null || endpoint.service() == null ? DEFAULT_SERVICE : endpoint.service();
    String date = dateOverride != null ? dateOverride : signingDate;
    AwsScope scope = new AwsScope(date, region, service);
    AwsDerivedCredential key =
        new AwsDerivedCredential(
            ACCESS_KEY_ID,
            AwsSigningKey.derive(SECRET, scope),
            scope,
            sessionToken,
            sessionToken == null ? 0 : sessionExpiresAtEpochSeconds);
    // the TTL is the test's to set: the agent's own date and session checks are what is under test
    answer.complete(
        new ResolvedCredential(
            grant,
            1,
            key.toPayload(),
            InjectionSpec.awsSigV4(region, service),
            DestinationPolicy.of(List.of("https://**.amazonaws.com", "http://127.0.0.1:9000")),
            ttlSeconds));
    return answer;
  }
}
