package dev.alter.it.awssdk;

import dev.alter.it.harness.TestCertificate;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * s3proxy in the test JVM: a real S3 API that verifies AWS signatures (V2 or V4, as s3proxy's
 * {@code s3proxy.authorization=aws-v2-or-v4}) against one known key pair, over HTTPS with the test
 * certificate and over plain HTTP, both on 127.0.0.1, storing objects in jclouds' in-memory
 * "transient" blob store. The key pair is random per run, so finding the secret anywhere it must
 * not be is proof.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String REGION = "eu-west-1";
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  final String accessKeyId = "AKIA" + random(16, ALPHANUMERIC);
  final String secretAccessKey =
      random(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  private final BlobStoreContext blobStoreContext;

  /** Answers the AWS host names, path-style and virtual-hosted. */
  private final S3Proxy proxy;

  /**
   * The same store without virtual hosts, for a custom endpoint such as {@code localhost}: with
   * {@code virtualHost} set, s3proxy takes any other Host name for a bucket (CNAME style).
   */
  private final S3Proxy pathOnlyProxy;

  private S3ProxyServer(TestCertificate certificate) throws Exception {
    blobStoreContext =
        ContextBuilder.newBuilder("transient")
            .credentials("unused", "unused")
            .build(BlobStoreContext.class);
    BlobStore blobStore = new SingleRegionBlobStore(blobStoreContext.getBlobStore(), REGION);
    SSLContext sslContext = sslContext(certificate);
    proxy =
        start(
            builder(blobStore, sslContext)
                // BUCKET.s3.eu-west-1.amazonaws.com addresses BUCKET; the bare name stays
                // path-style
                .virtualHost(AwsWorld.S3_HOST));
    pathOnlyProxy = start(builder(blobStore, sslContext));
  }

  private S3Proxy.Builder builder(BlobStore blobStore, SSLContext sslContext) {
    return S3Proxy.builder()
        .blobStore(blobStore)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .secureEndpoint(URI.create("https://127.0.0.1:0"))
        .sslContext(sslContext)
        // s3proxy 3.0.0 answers 501 NotImplemented to x-amz-* headers it does not know, among
        // them x-amz-checksum-crc32 (DeleteObjects' required checksum) and x-amz-te (GetObject
        // in the SDK's default checksum mode); it then ignores them. Signatures are verified
        // over them all the same: they are in the signed headers.
        .ignoreUnknownHeaders(true);
  }

  private static S3Proxy start(S3Proxy.Builder builder) throws Exception {
    S3Proxy started = builder.build();
    started.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!started.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + started.getState());
      }
      Thread.sleep(20);
    }
    return started;
  }

  static S3ProxyServer start(TestCertificate certificate) {
    try {
      return new S3ProxyServer(certificate);
    } catch (Exception e) {
      throw new IllegalStateException("could not start s3proxy", e);
    }
  }

  int httpsPort() {
    return proxy.getSecurePort();
  }

  int httpPort() {
    return proxy.getPort();
  }

  /** HTTPS port of the path-only twin (same store and keys). */
  int pathOnlyHttpsPort() {
    return pathOnlyProxy.getSecurePort();
  }

  private static SSLContext sslContext(TestCertificate certificate)
      throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(), certificate.password().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, new SecureRandom());
    return context;
  }

  private static String random(int length, String alphabet) {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
      pathOnlyProxy.stop();
    } catch (Exception e) {
      // stopping at the end of the run; nothing to keep
    } finally {
      blobStoreContext.close();
    }
  }
}
