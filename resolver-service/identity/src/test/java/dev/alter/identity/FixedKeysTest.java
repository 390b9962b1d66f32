package dev.alter.identity;

import static dev.alter.identity.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Air-gapped IdPs: keys given as PEM (keys or certificates), a JWKS document, or a file. */
class FixedKeysTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void pemPublicKeysOfEveryTypeVerifyTokensWhateverKidTheyName() throws Exception {
    RSAKey rsa = TestKeys.rsa("rsa-1");
    ECKey ec = TestKeys.ec("ec-1");
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String pem =
        pem("PUBLIC KEY", rsa.toRSAPublicKey().getEncoded())
            + pem("PUBLIC KEY", ec.toECPublicKey().getEncoded())
            + pem("PUBLIC KEY", ed.getPublic().getEncoded());

    TokenVerifier verifier = verifier(JwksLocation.pem(pem));

    assertThat(verifier.verify(token(rsa, JWSAlgorithm.RS256, "key-2026")).userId())
        .isEqualTo("alice");
    assertThat(verifier.verify(token(rsa, JWSAlgorithm.PS256, null)).userId()).isEqualTo("alice");
    assertThat(verifier.verify(token(ec, JWSAlgorithm.ES256, "ec-any")).userId())
        .isEqualTo("alice");
    assertThat(verifier.verify(token(signingKeyOf(ed), JWSAlgorithm.EdDSA, "ed")).userId())
        .isEqualTo("alice");

    String forged = token(TestKeys.rsa("attacker-1"), JWSAlgorithm.RS256, "key-2026");
    assertRejected(() -> verifier.verify(forged), forged, RejectionReason.SIGNATURE_INVALID);
  }

  @Test
  void pemCertificateVerifiesTokensOfItsKey(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("idp.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "idp",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=idp.example.test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    Certificate certificate = keyStore.getCertificate("idp");
    ECKey signing =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) certificate.getPublicKey())
            .privateKey((ECPrivateKey) keyStore.getKey("idp", "changeit".toCharArray()))
            .build();

    TokenVerifier verifier =
        verifier(JwksLocation.pem(pem("CERTIFICATE", certificate.getEncoded())));

    assertThat(verifier.verify(token(signing, JWSAlgorithm.ES256, "x5t-whatever")).userId())
        .isEqualTo("alice");
  }

  @Test
  void jwksDocumentAndFilesWork(@TempDir Path dir) throws Exception {
    RSAKey rsa = TestKeys.rsa("rsa-1");
    String json = new JWKSet(rsa).toString(true);
    Path jsonFile = Files.writeString(dir.resolve("jwks.json"), json);
    Path pemFile =
        Files.writeString(
            dir.resolve("idp.pem"), pem("PUBLIC KEY", rsa.toRSAPublicKey().getEncoded()));
    String token = token(rsa, JWSAlgorithm.RS256, "rsa-1");

    for (JwksLocation location :
        new JwksLocation[] {
          JwksLocation.jwksJson(json), JwksLocation.file(jsonFile), JwksLocation.file(pemFile)
        }) {
      assertThat(verifier(location).verify(token).userId())
          .as(location.toString())
          .isEqualTo("alice");
    }
  }

  @Test
  void fixedJwksWithKidsStillRefusesUnknownKids() {
    RSAKey rsa = TestKeys.rsa("rsa-1");
    TokenVerifier verifier = verifier(JwksLocation.jwksJson(new JWKSet(rsa).toString(true)));
    String token = token(rsa, JWSAlgorithm.RS256, "rsa-2");

    assertRejected(() -> verifier.verify(token), token, RejectionReason.UNKNOWN_KEY);
  }

  @Test
  void weakRsaKeysAreNeverUsed() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();
    RSAKey weakJwk =
        new RSAKey.Builder((java.security.interfaces.RSAPublicKey) weak.getPublic())
            .privateKey(weak.getPrivate())
            .keyID("weak")
            .build();
    TokenVerifier verifier = verifier(JwksLocation.jwksJson(new JWKSet(weakJwk).toString(true)));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build(),
            Tokens.claims(NOW, "alice").build());
    jwt.sign(
        new RSASSASigner(weak.getPrivate(), true)); // nimbus refuses to sign with it unless told
    String token = jwt.serialize();

    assertRejected(() -> verifier.verify(token), token, RejectionReason.ALG_NOT_ALLOWED);
  }

  private TokenVerifier verifier(JwksLocation location) {
    IdentityProviderConfig config =
        IdentityProviderConfig.builder()
            .idpId("idp_airgap")
            .issuer(Tokens.ISSUER)
            .jwks(location)
            .audiences(Tokens.AUDIENCE)
            .algorithms(SigningAlgorithm.values())
            .build();
    return TokenVerifier.create(config, JwksFetchPolicy.defaults(), clock);
  }

  private static String token(JWK key, JWSAlgorithm alg, String kid) {
    return Tokens.sign(
        key, new JWSHeader.Builder(alg).keyID(kid).build(), Tokens.claims(NOW, "alice").build());
  }

  /** The JDK's Ed25519 pair as a nimbus signing key: seed from PKCS#8, public point from SPKI. */
  private static OctetKeyPair signingKeyOf(KeyPair ed) {
    byte[] pkcs8 = ed.getPrivate().getEncoded();
    byte[] spki = ed.getPublic().getEncoded();
    return new OctetKeyPair.Builder(
            Curve.Ed25519,
            Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
        .d(Base64URL.encode(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))
        .build();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
