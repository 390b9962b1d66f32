package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration, first start, admin key files, port file, bind policy and TLS (H2 only). */
class StartupTest {
  @TempDir Path dir;

  private ServiceConfig.Builder config() {
    return ServiceConfig.builder().dataDir(dir.resolve("data")).port(0);
  }

  @Test
  void firstStartGeneratesAnAdminKeyFileOwnerOnlyAndAcceptsItNextTime() throws Exception {
    Path keyFile = dir.resolve("secrets/admin.key");
    String generated;
    try (RunningService s = ResolverService.start(config().adminKeyFile(keyFile).build())) {
      generated = s.generatedAdminKey();
      assertThat(generated).startsWith("alter_key_admin_");
      assertThat(Files.readString(keyFile).trim()).isEqualTo(generated);
      assertThat(Files.getPosixFilePermissions(keyFile))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(dir.resolve("data/master.key")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(new ApiClient(s.baseUrl()).get("/v1/apps", generated).status()).isEqualTo(200);
    }
    try (RunningService s = ResolverService.start(config().adminKeyFile(keyFile).build())) {
      assertThat(s.generatedAdminKey()).isNull();
      assertThat(new ApiClient(s.baseUrl()).get("/v1/apps", generated).status()).isEqualTo(200);
    }
  }

  @Test
  void anOperatorSuppliedAdminKeyFileIsAccepted() throws Exception {
    Path keyFile = dir.resolve("admin.key");
    String key = "alter_key_admin_" + "k".repeat(43);
    Files.writeString(keyFile, key + "\n");
    try (RunningService s = ResolverService.start(config().adminKeyFile(keyFile).build())) {
      assertThat(s.generatedAdminKey()).isNull();
      assertThat(new ApiClient(s.baseUrl()).get("/v1/apps", key).status()).isEqualTo(200);
    }
    Files.writeString(keyFile, "too-short");
    assertThatThrownBy(() -> ResolverService.start(config().adminKeyFile(keyFile).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("too-short");
  }

  @Test
  void withoutAKeyFileTheFirstStartGeneratesOneKeyOnly() {
    String first;
    try (RunningService s = ResolverService.start(config().build())) {
      first = s.generatedAdminKey();
      assertThat(first).startsWith("alter_key_admin_");
    }
    try (RunningService s = ResolverService.start(config().build())) {
      assertThat(s.generatedAdminKey()).as("a key exists: none is generated again").isNull();
      assertThat(new ApiClient(s.baseUrl()).get("/v1/apps", first).status()).isEqualTo(200);
    }
  }

  @Test
  void writesTheBoundPortToThePortFile() throws Exception {
    Path portFile = dir.resolve("run/port");
    try (RunningService s = ResolverService.start(config().portFile(portFile).build())) {
      assertThat(Files.readString(portFile).trim()).isEqualTo(Integer.toString(s.port()));
      assertThat(s.port()).isPositive();
      assertThat(s.baseUrl()).isEqualTo("http://127.0.0.1:" + s.port());
    }
  }

  @Test
  void refusesANonLoopbackBindWithoutTls() {
    assertThatThrownBy(() -> ResolverService.start(config().bindHost("0.0.0.0").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without TLS")
        .hasMessageContaining("ALTER_ALLOW_INSECURE_BIND");
    assertThat(dir.resolve("data")).as("refused before touching the data directory").doesNotExist();
  }

  @Test
  void servesTlsFromAPkcs12Keystore() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "alter",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();

    try (RunningService s =
        ResolverService.start(
            config().tlsKeystore(keystore).tlsKeystorePassword("changeit").build())) {
      assertThat(s.baseUrl()).startsWith("https://127.0.0.1:");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        trust.load(in, "changeit".toCharArray());
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(s.baseUrl() + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("ok");

      // under TLS the portal's cookies are Secure
      HttpResponse<String> form =
          client.send(
              HttpRequest.newBuilder(URI.create(s.baseUrl() + "/portal/sign-in")).build(),
              HttpResponse.BodyHandlers.ofString());
      String signInCookie = form.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(signInCookie).contains("HttpOnly", "SameSite=Strict", "Secure");
      java.util.regex.Matcher token =
          java.util.regex.Pattern.compile("name=\"sign_in_token\" value=\"([^\"]+)\"")
              .matcher(form.body());
      assertThat(token.find()).isTrue();
      HttpResponse<String> signedIn =
          client.send(
              HttpRequest.newBuilder(URI.create(s.baseUrl() + "/portal/sign-in"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Cookie", signInCookie.substring(0, signInCookie.indexOf(';')))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "sign_in_token="
                              + token.group(1)
                              + "&admin_key="
                              + java.net.URLEncoder.encode(
                                  s.generatedAdminKey(), java.nio.charset.StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signedIn.statusCode()).isEqualTo(303);
      assertThat(signedIn.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("alter_portal=")
          .contains("HttpOnly", "SameSite=Strict", "Secure");
    }
  }

  @Test
  void environmentAndFlagsBuildTheConfiguration() {
    ServiceConfig c =
        ServiceConfig.fromEnvironment(
            Map.of(
                "ALTER_DATA_DIR",
                "/tmp/x",
                "ALTER_PORT",
                "9000",
                "ALTER_DB_URL",
                "jdbc:postgresql://127.0.0.1/alter?password=hunter2",
                "ALTER_MASTER_KEY",
                "c2VjcmV0LW1hc3Rlci1rZXk=",
                "ALTER_DEFAULT_TTL_SECONDS",
                "120"),
            new String[] {"--port", "0", "--bind=localhost"});
    assertThat(c.port()).isZero();
    assertThat(c.bindHost()).isEqualTo("localhost");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.defaultTtlSeconds()).isEqualTo(120);
    assertThat(c.masterKeyringDir()).isEqualTo(Path.of("/tmp/x/master-keys"));
    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("c2VjcmV0LW1hc3Rlci1rZXk=");
    assertThatThrownBy(
            () -> ServiceConfig.fromEnvironment(Map.of(), new String[] {"--colour", "red"}))
        .hasMessageContaining("unknown flag");
    assertThatThrownBy(
            () -> ServiceConfig.fromEnvironment(Map.of("ALTER_PORT", "http"), new String[0]))
        .hasMessageContaining("ALTER_PORT");
    assertThatThrownBy(
            () ->
                ServiceConfig.fromEnvironment(
                    Map.of("ALTER_DEFAULT_TTL_SECONDS", "1"), new String[0]))
        .hasMessageContaining("ALTER_DEFAULT_TTL_SECONDS");
  }

  @Test
  void anUnreachableDatabaseStopsTheStartClearly() {
    assertThatThrownBy(
            () ->
                ResolverService.start(
                    config()
                        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/alter?password=hunter2")
                        .dbUser("postgres")
                        .build()))
        .isInstanceOf(dev.alter.service.store.StoreUnavailableException.class)
        .hasMessageContaining("cannot open the store")
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anEmptyMasterKeySettingIsAnErrorNotUnset() {
    for (String name :
        List.of("ALTER_MASTER_KEY", "ALTER_MASTER_KEY_FILE", "ALTER_MASTER_KEYRING_DIR")) {
      assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of(name, ""), new String[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(name + " is set but empty: give it a value, or unset it");
    }
    assertThatThrownBy(
            () -> ServiceConfig.fromEnvironment(Map.of(), new String[] {"--master-key-file="}))
        .hasMessageContaining("ALTER_MASTER_KEY_FILE is set but empty");
    assertThatThrownBy(() -> ResolverService.start(config().masterKey(" ").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ALTER_MASTER_KEY is empty");
    assertThat(dir.resolve("data/master.key")).as("no development key instead").doesNotExist();
  }

  @Test
  void anEmptyMasterKeyFileStopsTheStart() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("master.key"), "\n");
    assertThatThrownBy(() -> ResolverService.start(config().masterKeyFile(keyFile).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master key file " + keyFile + " is empty");
    assertThat(dir.resolve("data/master.key")).as("no development key instead").doesNotExist();
  }

  @Test
  void aMalformedMasterKeyStopsTheStartWithoutEchoingIt() {
    assertThatThrownBy(() -> ResolverService.start(config().masterKey("bm90LTMyLWJ5dGVz").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ALTER_MASTER_KEY")
        .hasMessageNotContaining("bm90LTMyLWJ5dGVz");
  }
}
