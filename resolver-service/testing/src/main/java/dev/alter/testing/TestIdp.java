package dev.alter.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * An identity provider for the tests: real RSA-2048 and EC P-256 keys, the public JWKS served on
 * 127.0.0.1 for the resolver service to fetch, and tokens it signs (or that an attacker forges).
 */
public final class TestIdp implements AutoCloseable {
  public static final String AUDIENCE = "orders-backend";

  private final String issuer;
  private final HttpServer server;
  public final RSAKey rsa;
  public final ECKey ec;

  private TestIdp(String issuer, HttpServer server, RSAKey rsa, ECKey ec) {
    this.issuer = issuer;
    this.server = server;
    this.rsa = rsa;
    this.ec = ec;
  }

  public static TestIdp start(String issuer) {
    try {
      RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + System.nanoTime()).generate();
      ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + System.nanoTime()).generate();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      byte[] jwks =
          new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
              .toString(true)
              .getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/jwks.json",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(jwks);
            }
          });
      server.start();
      return new TestIdp(issuer, server, rsa, ec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return issuer;
  }

  public String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  /** Claims of a token for {@code subject} in {@code groups}, valid for five minutes. */
  public JWTClaimsSet.Builder claims(String subject, String... groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("groups", List.of(groups));
  }

  /** An RS256 token for {@code subject} in {@code groups}. */
  public String token(String subject, String... groups) {
    return sign(rsa, JWSAlgorithm.RS256, claims(subject, groups).build());
  }

  /** An ES256 token for {@code subject} in {@code groups}. */
  public String ecToken(String subject, String... groups) {
    return sign(ec, JWSAlgorithm.ES256, claims(subject, groups).build());
  }

  /**
   * A token signed with the IdP's RSA key; the claims may be anything (expired, wrong audience, …).
   */
  public String token(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims);
  }

  /**
   * A token for {@code subject} signed by a key the IdP never published, under the IdP's own kid.
   */
  public String signedByAnotherKey(String subject) {
    return sign(newRsaKey(rsa.getKeyID()), JWSAlgorithm.RS256, claims(subject).build());
  }

  /** Signed by an attacker's key under a kid the IdP never published. */
  public String unknownKid(String subject) {
    return sign(newRsaKey("kid-nobody-published"), JWSAlgorithm.RS256, claims(subject).build());
  }

  /**
   * HS256 with the IdP's public RSA key (DER) as the HMAC secret: the classic key-confusion
   * forgery.
   */
  public String hmacWithPublicKey(String subject) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
              claims(subject).build());
      jwt.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code claims} signed with this IdP's key, its own JWKS URL named in the {@code jku} (or {@code
   * x5u}) header: used as the attacker, whose keys a verifier that followed the header would trust.
   */
  public String signedNamingOwnKeyUrl(JWTClaimsSet claims, boolean x5u) {
    try {
      JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID());
      URI url = URI.create(jwksUrl());
      header = x5u ? header.x509CertURL(url) : header.jwkURL(url);
      SignedJWT jwt = new SignedJWT(header.build(), claims);
      jwt.sign(new RSASSASigner(rsa));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token for {@code subject} whose payload is then swapped for {@code otherSubject}'s. */
  public String tampered(String subject, String otherSubject) {
    String[] parts = token(subject).split("\\.");
    String forgedPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                claims(otherSubject).build().toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + forgedPayload + "." + parts[2];
  }

  public static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with these claims. */
  public static String unsigned(JWTClaimsSet claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  private static RSAKey newRsaKey(String keyId) {
    try {
      return new RSAKeyGenerator(2048).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
