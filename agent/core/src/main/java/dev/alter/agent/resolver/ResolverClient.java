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

  /** The least time an attempt on a further replica is worth starting with. */
  private static final long MIN_ATTEMPT_MILLIS = 100;

  private final ResolverEndpoints endpoints;
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
    this(new ResolverEndpoints(java.util.List.of(baseUrl)), apiKey, caFile, timeout, () -> keyPair);
  }

  /**
   * @param endpoints the replicas to ask, shared with whatever else talks to the service
   * @param timeout the whole budget of one resolve, fail-over to other replicas included
   */
  public ResolverClient(
      ResolverEndpoints endpoints,
      String apiKey,
      Path caFile,
      Duration timeout,
      java.util.function.Supplier<ProcessKeyPair> keyPair) {
    this.endpoints = endpoints;
    this.signer = new ResolveSigner(apiKey, java.time.Clock.systemUTC());
    this.caFile = caFile;
    this.timeout = timeout;
    this.keyPair = keyPair;
  }

  /** The replicas this client asks (and reports to). */
  public ResolverEndpoints endpoints() {
    return endpoints;
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
    byte[] bytes;
    String agentToken;
    try {
      agentToken = ResolveSigner.provesByItsSignature(identity) ? identity : null;
      ResolveRequest body =
          new ResolveRequest(
              grant,
              agentToken != null ? null : identity,
              new ResolveRequest.Destination(method, url),
              keyPair.get().encodedPublicKey());
      body.setSigningDate(signingDate);
      bytes = json.write(body);
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
    CompletableFuture<ResolvedCredential> result = new CompletableFuture<>();
    attempt(
        new Attempts(grant, bytes, agentToken, System.nanoTime() + timeout.toNanos()),
        client,
        result);
    return result;
  }

  /**
   * One resolve's way through the replicas: which were tried, why each failed, and the deadline the
   * whole resolve must meet.
   */
  private static final class Attempts {
    final String grant;
    final byte[] body;
    final String agentToken;
    final long deadlineNanos;
    final java.util.Set<URI> tried = new java.util.LinkedHashSet<>();
    final java.util.List<String> reasons = new java.util.ArrayList<>();
    ResolveFailure last;
    int rounds = 1;

    Attempts(String grant, byte[] body, String agentToken, long deadlineNanos) {
      this.grant = grant;
      this.body = body;
      this.agentToken = agentToken;
      this.deadlineNanos = deadlineNanos;
    }

    /** The failure of the whole resolve: the last one, naming every replica that failed. */
    ResolveFailure exhausted() {
      if (reasons.size() <= 1) {
        return last;
      }
      return new ResolveFailure(
          last.code(),
          last.wireCode(),
          grant,
          "no resolver replica answered (" + String.join("; ", reasons) + ")",
          last.code().fix());
    }
  }

  /**
   * Asks the next replica. A connection error, a timeout, an unreadable answer or a 5xx moves on to
   * another replica while the deadline allows (each replica at most twice); any other answer, a
   * refusal included, is the resolve's answer.
   */
  private void attempt(
      Attempts attempts, HttpClient client, CompletableFuture<ResolvedCredential> result) {
    long remainingMillis = (attempts.deadlineNanos - System.nanoTime()) / 1_000_000;
    URI base = endpoints.next(attempts.tried);
    if (base == null && attempts.rounds < 2) {
      attempts.rounds++;
      attempts.tried.clear();
      base = endpoints.next(attempts.tried);
    }
    if (base == null
        || attempts.last != null && remainingMillis < MIN_ATTEMPT_MILLIS
        || remainingMillis <= 0) {
      result.completeExceptionally(attempts.exhausted());
      return;
    }
    attempts.tried.add(base);
    sendTo(base, remainingMillis, attempts, client, result);
  }

  private void sendTo(
      URI base,
      long remainingMillis,
      Attempts attempts,
      HttpClient client,
      CompletableFuture<ResolvedCredential> result) {
    long untried = Math.max(1, endpoints.size() - attempts.tried.size() + 1);
    // leave time for the replicas after this one: a black-holed replica must not eat the budget
    long attemptMillis =
        untried > 1 && attempts.rounds == 1
            ? Math.max(remainingMillis / untried, Math.min(remainingMillis, 250))
            : remainingMillis;
    URI resolveUri = resolveUri(base);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(resolveUri)
              .timeout(Duration.ofMillis(Math.max(1, attemptMillis)))
              .header(
                  "Authorization",
                  signer.authorization(resolveUri, attempts.body, attempts.agentToken))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, application/problem+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(attempts.body))
              .build();
    } catch (RuntimeException e) {
      result.completeExceptionally(
          new ResolveFailure(
              ErrorCode.RESOLVER_UNAVAILABLE,
              attempts.grant,
              "could not build the resolve request (" + e.getClass().getSimpleName() + ")"));
      return;
    }
    String grant = attempts.grant;
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
        .whenComplete(
            (response, error) -> {
              ResolveFailure failure;
              byte[] body = null;
              if (error != null) {
                failure = unreachable(resolveUri, grant, error, attemptMillis);
              } else {
                try (InputStream in = response.body()) {
                  body = readLimited(in);
                  failure = null;
                } catch (IOException e) {
                  failure =
                      new ResolveFailure(
                          ErrorCode.RESOLVER_UNAVAILABLE,
                          grant,
                          "the answer of the resolver at "
                              + resolveUri
                              + " could not be read ("
                              + e.getClass().getSimpleName()
                              + ")");
                }
              }
              if (body != null) {
                try {
                  ResolvedCredential credential =
                      answer(resolveUri, grant, response.statusCode(), body);
                  endpoints.reportSuccess(base);
                  result.complete(credential);
                  return;
                } catch (ResolveFailure f) {
                  failure = f;
                } catch (RuntimeException e) {
                  failure =
                      new ResolveFailure(
                          ErrorCode.RESOLVER_UNAVAILABLE,
                          grant,
                          "unexpected failure reading the resolver's answer ("
                              + e.getClass().getSimpleName()
                              + ")");
                }
                if (response.statusCode() < 500) {
                  // the service answered: a refusal is the answer, not a reason to ask elsewhere
                  endpoints.reportSuccess(base);
                  result.completeExceptionally(failure);
                  return;
                }
              }
              endpoints.reportFailure(base);
              attempts.last = failure;
              attempts.reasons.add(
                  failure.detail() != null && failure.detail().startsWith("cannot reach")
                      ? failure.detail()
                      : base + ": " + failure.getMessage());
              attempt(attempts, client, result);
            });
  }

  private static URI resolveUri(URI baseUrl) {
    return endpointUri(baseUrl, WireFormat.RESOLVE_PATH);
  }

  private static URI endpointUri(URI baseUrl, String path) {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
  }

  /**
   * Sends the policy refusals counted since the last report ({@code POST /v1/policy-refusals},
   * signed like a resolve) to the replica resolves would use now; completes with whether the
   * service took them.
   */
  public CompletableFuture<Boolean> reportRefusals(List<PolicyRefusals.Drained> refusals) {
    URI refusalsUri = endpointUri(endpoints.next(), WireFormat.POLICY_REFUSALS_PATH);
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

  /**
   * Sends one usage batch ({@code POST /v1/usage/report}, signed like a resolve) to the replica
   * resolves would use now, moving on to the next replica when one cannot be reached or answers
   * 5xx; completes with whether the service took it. Never retried on the same replica: a batch the
   * service may have stored is not sent twice there.
   */
  public CompletableFuture<Boolean> reportUsage(byte[] batch) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    try {
      reportUsageTo(batch, new java.util.LinkedHashSet<>(), client(), result);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      result.complete(false);
    }
    return result;
  }

  private void reportUsageTo(
      byte[] batch,
      java.util.Set<URI> tried,
      HttpClient client,
      CompletableFuture<Boolean> result) {
    URI base = endpoints.next(tried);
    if (base == null) {
      result.complete(false);
      return;
    }
    tried.add(base);
    URI usageUri = endpointUri(base, WireFormat.USAGE_REPORT_PATH);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(usageUri)
              .timeout(timeout)
              .header("Authorization", signer.authorization(usageUri, batch, null))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, application/problem+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
              .build();
    } catch (RuntimeException e) {
      result.complete(false);
      return;
    }
    client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() < 500) {
                endpoints.reportSuccess(base);
                result.complete(response.statusCode() / 100 == 2);
                return;
              }
              endpoints.reportFailure(base);
              if (error instanceof ConnectException
                  || error != null && error.getCause() instanceof ConnectException) {
                // nothing reached that replica: the batch may go to the next one
                reportUsageTo(batch, tried, client, result);
              } else {
                result.complete(false);
              }
            });
  }

  private ResolvedCredential answer(URI resolveUri, String grant, int status, byte[] body) {
    if (status == 200) {
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
    if (status == 401) {
      throw new ResolveFailure(
          ErrorCode.UNAUTHORIZED_APP, grant, "the resolver rejected the app key");
    }
    throw new ResolveFailure(
        ErrorCode.RESOLVER_UNAVAILABLE,
        grant,
        "the resolver at " + resolveUri + " answered HTTP " + status);
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
            requestPolicy)
        .withSecretId(r.getSecretId());
  }

  private static ResolveFailure unreachable(
      URI resolveUri, String grant, Throwable error, long attemptMillis) {
    Throwable t =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String why;
    if (t instanceof HttpTimeoutException) {
      why = "timed out after " + attemptMillis + " ms";
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

  /** The signer of this client's requests (the change subscription signs with it too). */
  ResolveSigner signer() {
    return signer;
  }

  HttpClient client() throws GeneralSecurityException, IOException {
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
          SSLContext tls = caFile != null ? sslContextTrusting(caFile) : null;
          if (dialsHttpsNames()) {
            tls =
                new NamePreservingSslContext(
                    tls != null ? tls : SSLContext.getDefault(), endpoints);
          }
          if (tls != null) {
            builder.sslContext(tls);
          }
          c = builder.build();
          http = c;
        }
      }
    }
    return c;
  }

  /** Whether a configured https URL names its host (which may be dialled by address). */
  private boolean dialsHttpsNames() {
    for (URI url : endpoints.urls()) {
      String host = url.getHost();
      if ("https".equalsIgnoreCase(url.getScheme())
          && host != null
          && !host.startsWith("[")
          && !host.matches("[0-9]+(\\.[0-9]+){3}")) {
        return true;
      }
    }
    return false;
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
