package dev.alter.service;

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
 * A test identity provider: real RSA-2048 and EC P-256 keys, its JWKS served on 127.0.0.1, and
 * tokens signed with them (or forged, for the attack tests).
 */
final class TestIdp implements AutoCloseable {
  static final String AUDIENCE = "orders-backend";

  private final String issuer;
  private final HttpServer server;
  final RSAKey rsa;
  final ECKey ec;

  private TestIdp(String issuer, HttpServer server, RSAKey rsa, ECKey ec) {
    this.issuer = issuer;
    this.server = server;
    this.rsa = rsa;
    this.ec = ec;
  }

  static TestIdp start(String issuer) {
    try {
      RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + System.nanoTime()).generate();
      ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + System.nanoTime()).generate();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(true)
          .getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks.json", exchange -> {
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

  String issuer() {
    return issuer;
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  /** Claims of a token for {@code subject}, valid for five minutes. */
  JWTClaimsSet.Builder claims(String subject, String... groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject(subject)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("groups", List.of(groups));
  }

  /** An RS256 token for {@code subject} in {@code groups}. */
  String token(String subject, String... groups) {
    return sign(rsa, JWSAlgorithm.RS256, claims(subject, groups).build());
  }

  /** An ES256 token. */
  String ecToken(String subject, String... groups) {
    return sign(ec, JWSAlgorithm.ES256, claims(subject, groups).build());
  }

  static String sign(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}) with these claims. */
  static String unsigned(JWTClaimsSet claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
