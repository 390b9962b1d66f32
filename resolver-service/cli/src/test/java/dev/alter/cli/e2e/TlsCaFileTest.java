package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service on TLS with a certificate no public CA signed: the CLI trusts it only when given that
 * CA with --ca-file, and still checks the host name.
 */
class TlsCaFileTest {
  private static final String PASSWORD = "test-keystore-password";

  @TempDir static Path dir;
  static EmbeddedResolver resolver;
  static Path caFile;

  @BeforeAll
  static void startServiceOnTls() throws Exception {
    Path keystore = dir.resolve("service.p12");
    caFile = dir.resolve("ca.pem");
    keytool(
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
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "alter",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        caFile.toString());
    resolver =
        EmbeddedResolver.start(
            dir, config -> config.tlsKeystore(keystore).tlsKeystorePassword(PASSWORD));
  }

  @AfterAll
  static void stopService() {
    if (resolver != null) {
      resolver.close();
    }
  }

  @Test
  void caFileMakesThePrivateCertificateTrusted() {
    assertThat(resolver.url()).startsWith("https://");

    Result result =
        resolver.alter().run("apps", "create", "tls-app", "--ca-file", caFile.toString());

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).contains("app_id", "tls-app");
  }

  @Test
  void withoutTheCaFileTheHandshakeFailsWithAHint() {
    Result result = resolver.alter().run("apps", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.stderr())
        .startsWith(
            "error: resolver_unavailable: TLS handshake with "
                + resolver.url()
                + " failed: its certificate is not signed by a trusted CA")
        .contains(
            "hint: if the service's certificate comes from a private CA,"
                + " pass --ca-file CA.pem");
  }

  @Test
  void theHostNameIsStillVerified() {
    String byName = resolver.url().replace("127.0.0.1", "localhost");

    Result result =
        resolver.alter().run("apps", "list", "--url", byName, "--ca-file", caFile.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.stderr())
        .startsWith("error: resolver_unavailable: TLS handshake")
        .contains("its certificate does not name host localhost");
  }

  @Test
  void aFileThatIsNoCertificateIsAUsageError() {
    Path notPem = resolver.file("not-a-cert.pem", "hello");

    Result result = resolver.alter().run("apps", "list", "--ca-file", notPem.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.stderr()).contains("--ca-file " + notPem);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
