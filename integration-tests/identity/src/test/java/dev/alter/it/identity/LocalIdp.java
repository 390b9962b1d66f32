package dev.alter.it.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * An identity provider for the tests: real RSA-2048 and EC P-256 keys, the public JWKS served on
 * 127.0.0.1 for the resolver service to fetch, and tokens it signs (or that an attacker forges).
 */
final class LocalIdp implements AutoCloseable {
  static final String AUDIENCE = "orders-backend";

  private final String issuer;
  private final HttpServer server;
  private final RSAKey rsa;
  private final ECKey ec;

  private LocalIdp(String issuer, HttpServer server, RSAKey rsa, ECKey ec) {
    this.issuer = issuer;
    this.server = server;
    this.rsa = rsa;
    this.ec = ec;
  }

  static LocalIdp start(String issuer) {
    try {
      RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
      byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(true)
          .getBytes(StandardCharsets.UTF_8);
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/certs", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, jwks.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(jwks);
        }
      });
      server.start();
      return new LocalIdp(issuer, server, rsa, ec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String issuer() {
    return issuer;
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
  }

  JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
  }

  /** A valid RS256 token for {@code subject}. */
  String rs256(String subject) {
    return sign(rsa, JWSAlgorithm.RS256, claims(subject).build());
  }

  /** A valid ES256 token for {@code subject}. */
  String es256(String subject) {
    return sign(ec, JWSAlgorithm.ES256, claims(subject).build());
  }

  /** A token for {@code subject} with {@code alg: none} and no signature. */
  String unsigned(String subject) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims(subject).build().toString().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** A token for {@code subject} signed by a key the IdP never published, under the IdP's own kid. */
  String signedByAnotherKey(String subject) {
    try {
      RSAKey attacker = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
      return sign(attacker, JWSAlgorithm.RS256, claims(subject).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token signed with the IdP's RSA key; the claims may be anything (expired, wrong audience, …). */
  String rs256(JWTClaimsSet claims) {
    return sign(rsa, JWSAlgorithm.RS256, claims);
  }

  /** HS256 with the IdP's public RSA key (DER) as the HMAC secret: the classic key-confusion forgery. */
  String hmacWithPublicKey(String subject) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
          claims(subject).build());
      jwt.sign(new com.nimbusds.jose.crypto.MACSigner(rsa.toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed by an attacker's key under a kid the IdP never published. */
  String unknownKid(String subject) {
    try {
      RSAKey attacker = new RSAKeyGenerator(2048).keyID("kid-nobody-published").generate();
      return sign(attacker, JWSAlgorithm.RS256, claims(subject).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code claims} signed with this IdP's key, its own JWKS URL named in the {@code jku} (or
   * {@code x5u}) header: used as the attacker, whose keys a verifier that followed the header would
   * trust.
   */
  String signedNamingOwnKeyUrl(JWTClaimsSet claims, boolean x5u) {
    try {
      JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID());
      java.net.URI url = java.net.URI.create(jwksUrl());
      header = x5u ? header.x509CertURL(url) : header.jwkURL(url);
      SignedJWT jwt = new SignedJWT(header.build(), claims);
      jwt.sign(new RSASSASigner(rsa));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token for {@code subject} whose payload is then swapped for {@code otherSubject}'s. */
  String tampered(String subject, String otherSubject) {
    String[] parts = rs256(subject).split("\\.");
    String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims(otherSubject).build().toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + forgedPayload + "." + parts[2];
  }

  private static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
