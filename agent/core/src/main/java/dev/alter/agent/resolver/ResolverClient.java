package dev.alter.agent.resolver;

import dev.alter.agent.policy.EnforcedPolicy;
import dev.alter.agent.policy.PolicyRefusals;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.Problem;
import dev.alter.contract.ResolveRequest;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls {@code POST /v1/resolve} with the JDK HttpClient and opens the sealed answer. Its requests
 * carry no {@code alter-*} header, so the agent's own instrumentation passes them through
 * untouched, and no key: each is signed by {@link ResolveSigner}.
 */
public final class ResolverClient implements ResolverBackend {
  private static final int MAX_ANSWER_BYTES = 256 * 1024;

  private final URI resolveUri;
  private final URI refusalsUri;
  private final ResolveSigner signer;
  private final Path caFile;
  private final Duration timeout;
  private final java.util.function.Supplier<ProcessKeyPair> keyPair;
  private final ResolveJson json = new ResolveJson();
  private volatile HttpClient http;
  private volatile EnforcedPolicy.Registry policies =
      new EnforcedPolicy.Registry(new PolicyRefusals());

  public ResolverClient(
      URI baseUrl, String apiKey, Path caFile, Duration timeout, ProcessKeyPair keyPair) {
    this(baseUrl, apiKey, caFile, timeout, () -> keyPair);
  }

  public ResolverClient(
      URI baseUrl,
      String apiKey,
      Path caFile,
      Duration timeout,
      java.util.function.Supplier<ProcessKeyPair> keyPair) {
    String base = baseUrl.toString();
    this.resolveUri =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + WireFormat.RESOLVE_PATH);
    this.refusalsUri =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + WireFormat.POLICY_REFUSALS_PATH);
    this.signer = new ResolveSigner(apiKey, java.time.Clock.systemUTC());
    this.caFile = caFile;
    this.timeout = timeout;
    this.keyPair = keyPair;
  }

  /**
   * Shares this JVM's rate limiters and refusal counts with the answers this client opens (the
   * agent's start-up passes the registry its refusal reporter drains).
   */
  public ResolverClient withPolicies(EnforcedPolicy.Registry registry) {
    this.policies = registry;
    return this;
  }

  /** The rate limiters and refusal counts of the policies this client's answers carry. */
  public EnforcedPolicy.Registry policies() {
    return policies;
  }

  /**
   * Does the one-time work of the first resolve (key pair, signing key, TLS context, HTTP client)
   * ahead of time, so the first tagged request does not pay for it inside its resolve timeout.
   */
  public void prepare() {
    try {
      keyPair.get();
      signer.prepare();
      client();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // reported by the first resolve, which retries the same steps
    }
  }

  @Override
  public CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url) {
    return resolve(grant, identity, method, url, SigningDate.of(java.time.Instant.now()));
  }

  @Override
  public CompletableFuture<ResolvedCredential> resolve(
      String grant, String identity, String method, String url, String signingDate) {
    HttpRequest request;
    try {
      String agentToken = ResolveSigner.provesByItsSignature(identity) ? identity : null;
      ResolveRequest body =
          new ResolveRequest(
              grant,
              agentToken != null ? null : identity,
              new ResolveRequest.Destination(method, url),
              keyPair.get().encodedPublicKey());
      body.setSigningDate(signingDate);
      byte[] bytes = json.write(body);
      request =
          HttpRequest.newBuilder(resolveUri)
              .timeout(timeout)
              .header("Authorization", signer.authorization(resolveUri, bytes, agentToken))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, application/problem+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build();
    } catch (IOException | RuntimeException e) {
      return failed(
          new ResolveFailure(
              ErrorCode.RESOLVER_UNAVAILABLE,
              grant,
              "could not build the resolve request (" + e.getClass().getSimpleName() + ")"));
    }
    HttpClient client;
    try {
      client = client();
    } catch (GeneralSecurityException | IOException e) {
      return failed(
          new ResolveFailure(
              ErrorCode.RESOLVER_UNAVAILABLE,
              grant,
              "cannot set up TLS to the resolver with CA file "
                  + caFile
                  + " ("
                  + e.getClass().getSimpleName()
                  + ")"));
    }
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw unreachable(grant, error);
              }
              return answer(grant, response);
            });
  }

  /**
   * Sends the policy refusals counted since the last report ({@code POST /v1/policy-refusals},
   * signed like a resolve); completes with whether the service took them.
   */
  public CompletableFuture<Boolean> reportRefusals(List<PolicyRefusals.Drained> refusals) {
    try {
      byte[] bytes = json.writeRefusals(refusals);
      HttpRequest request =
          HttpRequest.newBuilder(refusalsUri)
              .timeout(timeout)
              .header("Authorization", signer.authorization(refusalsUri, bytes, null))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, application/problem+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
              .build();
      return client()
          .sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle((response, error) -> error == null && response.statusCode() / 100 == 2);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return CompletableFuture.completedFuture(false);
    }
  }

  private ResolvedCredential answer(String grant, HttpResponse<InputStream> response) {
    byte[] body;
    try (InputStream in = response.body()) {
      body = readLimited(in);
    } catch (IOException e) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          grant,
          "the resolver's answer could not be read (" + e.getClass().getSimpleName() + ")");
    }
    if (response.statusCode() == 200) {
      return open(grant, body);
    }
    Problem problem = null;
    try {
      problem = json.readProblem(body);
    } catch (IOException | RuntimeException notProblemJson) {
      // fall through: not a problem document (e.g. a proxy's error page)
    }
    if (problem != null && problem.getCode() != null) {
      throw ResolveFailure.fromService(problem.getCode(), grant, problem.getDetail());
    }
    if (response.statusCode() == 401) {
      throw new ResolveFailure(
          ErrorCode.UNAUTHORIZED_APP, grant, "the resolver rejected the app key");
    }
    throw new ResolveFailure(
        ErrorCode.RESOLVER_UNAVAILABLE,
        grant,
        "the resolver at " + resolveUri + " answered HTTP " + response.statusCode());
  }

  private ResolvedCredential open(String grant, byte[] body) {
    ResolveResponse r;
    try {
      r = json.readResolveResponse(body);
    } catch (IOException | RuntimeException e) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE, grant, "the resolver's answer is not a resolve response");
    }
    if (r.getGrantId() == null
        || r.getSealed() == null
        || r.getInjection() == null
        || r.getDestinations() == null
        || r.getDestinations().isEmpty()) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE, grant, "the resolver's answer is incomplete");
    }
    if (!grant.startsWith("@") && !grant.equals(r.getGrantId())) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          grant,
          "the resolver answered for another grant (" + r.getGrantId() + ")");
    }
    DestinationPolicy policy;
    try {
      policy = DestinationPolicy.of(r.getDestinations());
    } catch (IllegalArgumentException e) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          grant,
          "the resolver sent an invalid destination pattern");
    }
    CredentialPayload payload;
    try {
      payload =
          keyPair
              .get()
              .open(r.getGrantId(), r.getCredentialVersion(), r.isPolicySealed(), r.getSealed());
    } catch (GeneralSecurityException e) {
      throw new ResolveFailure(
          ErrorCode.RESOLVER_UNAVAILABLE,
          grant,
          "the sealed credential could not be opened by this process (" + e.getMessage() + ")");
    }
    // compiled once per answer: every request the answer serves only runs the checks
    EnforcedPolicy requestPolicy =
        payload.requestPolicy() == null
            ? null
            : EnforcedPolicy.compile(r.getGrantId(), payload.requestPolicy(), policies);
    return new ResolvedCredential(
        r.getGrantId(),
        r.getCredentialVersion(),
        payload,
        r.getInjection(),
        policy,
        r.getTtlSeconds(),
        requestPolicy);
  }

  private ResolveFailure unreachable(String grant, Throwable error) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String why;
    if (t instanceof HttpTimeoutException) {
      why = "timed out after " + timeout.toMillis() + " ms";
    } else if (t instanceof ConnectException) {
      why = "connection refused";
    } else if (t instanceof SSLException) {
      why =
          "TLS failed ("
              + t.getClass().getSimpleName()
              + "; set ALTER_CA_FILE if the resolver's certificate is private)";
    } else {
      why = t.getClass().getSimpleName();
    }
    return new ResolveFailure(
        ErrorCode.RESOLVER_UNAVAILABLE,
        grant,
        "cannot reach the resolver at " + resolveUri + ": " + why);
  }

  private HttpClient client() throws GeneralSecurityException, IOException {
    HttpClient c = http;
    if (c == null) {
      synchronized (this) {
        c = http;
        if (c == null) {
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(timeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .proxy(HttpClient.Builder.NO_PROXY);
          if (caFile != null) {
            builder.sslContext(sslContextTrusting(caFile));
          }
          c = builder.build();
          http = c;
        }
      }
    }
    return c;
  }

  static SSLContext sslContextTrusting(Path caFile) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("alter-ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new GeneralSecurityException("no certificate in " + caFile);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static byte[] readLimited(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (out.size() + n > MAX_ANSWER_BYTES) {
        throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static <T> CompletableFuture<T> failed(Throwable t) {
    CompletableFuture<T> f = new CompletableFuture<>();
    f.completeExceptionally(t);
    return f;
  }
}
