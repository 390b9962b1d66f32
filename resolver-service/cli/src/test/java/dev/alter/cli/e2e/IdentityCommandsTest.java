package dev.alter.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.alter.cli.CliRun.Result;
import dev.alter.cli.ExitCodes;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code alter idps …} and {@code alter agents …} against a real embedded service. */
class IdentityCommandsTest {
  @TempDir static Path dir;
  @RegisterExtension static final EmbeddedResolver resolver = EmbeddedResolver.perTestClass();
  static KeyPair rsa;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
  }

  private static String pem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void identityProviderLifecycleWithAJwksUrl() {
    Result created =
        resolver
            .alter()
            .run(
                "idps",
                "create",
                "--issuer",
                "https://sso.example.com/realms/corp",
                "--jwks-url",
                "http://127.0.0.1:9/certs",
                "--audience",
                "orders-backend",
                "--algorithm",
                "RS256",
                "--algorithm",
                "ES256",
                "--group-claim",
                "realm_access.roles");
    assertThat(created.exitCode()).as("%s", created).isZero();
    String idpId = created.stdout().strip();
    assertThat(idpId).matches("idp_[0-9a-f]{20}");

    Result shown = resolver.alter().run("idps", "show", idpId);
    assertThat(shown.stdout())
        .contains("https://sso.example.com/realms/corp")
        .contains("RS256,ES256")
        .contains("realm_access.roles")
        .contains("http://127.0.0.1:9/certs");
    assertThat(resolver.alter().run("idps", "list").stdout())
        .contains(idpId)
        .contains("orders-backend");
    assertThat(resolver.json("idps", "list").path("idps").findValuesAsText("idp_id"))
        .contains(idpId);

    JsonNode updated =
        resolver.json(
            "idps",
            "update",
            idpId,
            "--audience",
            "a",
            "--audience",
            "b",
            "--clock-skew",
            "10",
            "--user-claim",
            "oid");
    assertThat(updated.path("audiences").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(updated.path("clock_skew_seconds").asInt()).isEqualTo(10);
    assertThat(updated.path("user_claim").asText()).isEqualTo("oid");
    assertThat(updated.path("issuer").asText()).isEqualTo("https://sso.example.com/realms/corp");

    assertThat(resolver.json("idps", "delete", idpId).path("deleted").asBoolean()).isTrue();
    Result gone = resolver.alter().run("idps", "show", idpId);
    assertThat(gone.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(gone.stderr()).startsWith("error: not_found: ");
  }

  @Test
  void airGappedKeysAreReadFromFilesAndTheirContentSent() {
    Path pemFile = resolver.file("idp-keys.pem", pem());
    JsonNode fromPem =
        resolver.json(
            "idps",
            "create",
            "--issuer",
            "https://airgap.example",
            "--jwks-file",
            pemFile.toString(),
            "--audience",
            "x",
            "--algorithm",
            "RS256");
    assertThat(fromPem.path("jwks_pem").asText()).isEqualTo(pem());

    String jwks =
        new JWKSet(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("k1").build())
            .toString();
    Path jwksFile = resolver.file("idp-keys.json", jwks);
    JsonNode fromJwks =
        resolver.json(
            "idps",
            "create",
            "--issuer",
            "https://airgap.example",
            "--jwks-file",
            jwksFile.toString(),
            "--audience",
            "x",
            "--algorithm",
            "RS256");
    assertThat(fromJwks.path("jwks").asText()).isEqualTo(jwks);

    JsonNode fromPemOption =
        resolver.json(
            "idps",
            "update",
            fromJwks.path("idp_id").asText(),
            "--jwks-pem-file",
            pemFile.toString());
    assertThat(fromPemOption.path("jwks_pem").asText()).isEqualTo(pem());
    assertThat(fromPemOption.path("jwks").isNull()).isTrue();
  }

  @Test
  void badIdentityProviderInputExitsWithTheSchemesCodes() {
    Result hmac =
        resolver
            .alter()
            .run(
                "idps",
                "create",
                "--issuer",
                "i",
                "--jwks-url",
                "http://127.0.0.1:9/k",
                "--audience",
                "a",
                "--algorithm",
                "HS256");
    assertThat(hmac.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(hmac.stderr()).startsWith("error: validation_failed: ").contains("algorithms");

    Result noKeys =
        resolver
            .alter()
            .run("idps", "create", "--issuer", "i", "--audience", "a", "--algorithm", "RS256");
    assertThat(noKeys.exitCode()).isEqualTo(ExitCodes.USAGE);

    Result twoKeySources =
        resolver
            .alter()
            .run(
                "idps",
                "create",
                "--issuer",
                "i",
                "--jwks-url",
                "http://127.0.0.1:9/k",
                "--jwks-file",
                "x.pem",
                "--audience",
                "a",
                "--algorithm",
                "RS256");
    assertThat(twoKeySources.exitCode()).isEqualTo(ExitCodes.USAGE);

    Result missingFile =
        resolver
            .alter()
            .run(
                "idps",
                "create",
                "--issuer",
                "i",
                "--jwks-file",
                dir.resolve("absent.pem").toString(),
                "--audience",
                "a",
                "--algorithm",
                "RS256");
    assertThat(missingFile.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(missingFile.stderr()).contains("file not found");

    Result nothingToChange = resolver.alter().run("idps", "update", "idp_whatever");
    assertThat(nothingToChange.exitCode()).isEqualTo(ExitCodes.USAGE);

    assertThat(
            dev.alter.cli.CliRun.cli()
                .env("ALTER_URL", resolver.url())
                .env("ALTER_ADMIN_KEY", "alter_key_admin_wrong")
                .run("idps", "list")
                .exitCode())
        .isEqualTo(ExitCodes.AUTH);
  }

  @Test
  void agentTokenIsShownOnceAndRotatedAndRevoked() {
    Result created = resolver.alter().run("agents", "create", "nightly-export");
    assertThat(created.exitCode()).as("%s", created).isZero();
    String token =
        created
            .stdout()
            .lines()
            .filter(l -> l.startsWith("agent_token"))
            .findFirst()
            .orElseThrow()
            .replaceFirst("agent_token\\s+", "")
            .strip();
    String agentId =
        created
            .stdout()
            .lines()
            .filter(l -> l.startsWith("agent_id"))
            .findFirst()
            .orElseThrow()
            .replaceFirst("agent_id\\s+", "")
            .strip();
    assertThat(token).matches("alter_key_agent_[A-Za-z0-9_-]{43}");
    assertThat(created.stderr()).contains("shown only now");

    Result listed = resolver.alter().run("agents", "list");
    assertThat(listed.stdout()).contains(agentId).contains("active").doesNotContain(token);
    assertThat(resolver.alter().run("agents", "show", agentId).stdout())
        .contains("nightly-export")
        .doesNotContain(token);

    JsonNode rotated = resolver.json("agents", "rotate-token", agentId);
    assertThat(rotated.path("token").asText()).startsWith("alter_key_agent_").isNotEqualTo(token);

    Result revoked = resolver.alter().run("agents", "revoke", agentId);
    assertThat(revoked.stdout()).startsWith("revoked " + agentId);
    assertThat(resolver.json("agents", "show", agentId).path("revoked_at").isTextual()).isTrue();
    Result again = resolver.alter().run("agents", "rotate-token", agentId);
    assertThat(again.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(again.stderr()).startsWith("error: conflict: ");

    JsonNode viaJson = resolver.json("agents", "create", "batch");
    assertThat(viaJson.path("token").asText()).startsWith("alter_key_agent_");
    assertThat(resolver.alter().run("agents", "show", "agt_missing").exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
  }
}
