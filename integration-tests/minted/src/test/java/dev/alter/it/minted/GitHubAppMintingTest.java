package dev.alter.it.minted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.HostsFile;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.SharedResolverService;
import dev.alter.it.harness.TestCertificate;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GitHub App installation tokens: the service signs the app JWT with the stored key (GitHub's
 * PKCS#1 PEM), the stand-in of api.github.com verifies it as GitHub does, and the app's request
 * carries the installation token, narrowed to the stored repositories and permissions; a new one
 * once it nears expiry. The stand-in is reached by name over TLS from the service's JVM (a hosts
 * file and trust store given through {@code JAVA_TOOL_OPTIONS}).
 */
class GitHubAppMintingTest {
  private static final String APP_ID = "123456";
  private static final String INSTALLATION_ID = "4242";

  private static GitHubInstallationTokens github;
  private static MintingWorld world;
  private static String privateKeyPem;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair appKey = generator.generateKeyPair();
    privateKeyPem = pkcs1Pem(appKey);
    Path work = SharedResolverService.workDirectory("minted-github-endpoint");
    TestCertificate certificate = TestCertificate.generate(work, List.of("api.github.com"));
    github = new GitHubInstallationTokens(certificate, APP_ID, (RSAPublicKey) appKey.getPublic());
    HostsFile hosts = HostsFile.loopback(work, List.of("api.github.com"));
    List<String> serviceJvm = new java.util.ArrayList<>(certificate.trustStoreProperties());
    serviceJvm.add(hosts.jvmArgument());
    world =
        new MintingWorld(
            "github-app", null, Map.of("JAVA_TOOL_OPTIONS", String.join(" ", serviceJvm)));
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
    if (github != null) {
      github.close();
    }
  }

  private static NewSecret githubApp(String appId) {
    return NewSecret.provider(world.app.appId, "github-app", privateKeyPem)
        .credentialPart("app_id", appId)
        .credentialPart("installation_id", INSTALLATION_ID)
        .credentialPart("repositories", "alter-demo,alter-docs")
        .credentialPart("permissions", "contents=read,issues=write")
        .credentialPart("token_endpoint", "https://api.github.com:" + github.port())
        .destinations(world.provider.origin());
  }

  @Test
  void theAppReceivesTheInstallationTokenNarrowedAsStoredAndANewOneNearExpiry() throws Exception {
    github.lifetime(Duration.ofSeconds(8));
    String grant =
        world.admin.createSystemGrant(world.admin.storeSecretId(githubApp(APP_ID)), "github");

    String first = world.bearerReceived(grant);

    assertThat(github.issued()).containsExactly(first);
    GitHubInstallationTokens.Received request =
        github.received().stream().filter(r -> APP_ID.equals(r.issuer())).findFirst().orElseThrow();
    assertThat(request.path())
        .isEqualTo("/app/installations/" + INSTALLATION_ID + "/access_tokens");
    assertThat(request.issuer()).isEqualTo(APP_ID);
    assertThat(request.body().path("repositories").toString())
        .isEqualTo("[\"alter-demo\",\"alter-docs\"]");
    assertThat(request.body().path("permissions").toString())
        .isEqualTo("{\"contents\":\"read\",\"issues\":\"write\"}");

    // reused while it has more than a quarter of its life left; past that, a new one
    assertThat(world.bearerReceived(grant)).isEqualTo(first);
    Thread.sleep(7_000);
    String renewed = world.bearerReceived(grant);
    assertThat(renewed).isNotEqualTo(first);
    assertThat(github.issued()).containsExactly(first, renewed);
    world.assertNowhere(keyLine());
  }

  @Test
  void aWrongAppIdIsRefusedByGitHubAndFailsClosed() {
    String grant =
        world.admin.createSystemGrant(world.admin.storeSecretId(githubApp("999999")), "wrong");

    world.failsClosed(grant, "token_endpoint_refused");
  }

  /** A line of the key's base64 body: what a leak of the key would show. */
  private static String keyLine() {
    return privateKeyPem.split("\n")[3];
  }

  private static String pkcs1Pem(KeyPair key) throws Exception {
    byte[] pkcs1 =
        PrivateKeyInfo.getInstance(key.getPrivate().getEncoded())
            .parsePrivateKey()
            .toASN1Primitive()
            .getEncoded();
    return "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs1)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }
}
