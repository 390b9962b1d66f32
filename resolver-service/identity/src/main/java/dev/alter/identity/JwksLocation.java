package dev.alter.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;

/**
 * Where an identity provider's signing keys come from: its JWKS URL, or — for air-gapped setups —
 * public keys the operator supplies as a JWKS document or as PEM.
 */
public sealed interface JwksLocation {

  /**
   * A JWKS endpoint, fetched and cached by {@link RemoteJwksKeySource}. Held as a {@link URI}:
   * {@code URL.equals} would resolve host names.
   */
  record Remote(URI uri) implements JwksLocation {
    public Remote {
      java.util.Objects.requireNonNull(uri, "uri");
    }

    public URL url() {
      try {
        return uri.toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException("validated URL became invalid", e);
      }
    }

    @Override
    public String toString() {
      return uri.toString();
    }
  }

  /**
   * Keys given by the operator; never refreshed. {@code document} is the operator's text (a JWKS
   * JSON document or PEM), kept so the service can store and show it back.
   */
  record Fixed(JWKSet keys, String document) implements JwksLocation {
    public Fixed {
      java.util.Objects.requireNonNull(keys, "keys");
      java.util.Objects.requireNonNull(document, "document");
    }

    /** Equal when made from the same document (a JWKSet has no value equality of its own). */
    @Override
    public boolean equals(Object o) {
      return o instanceof Fixed other && other.document.equals(document);
    }

    @Override
    public int hashCode() {
      return document.hashCode();
    }

    @Override
    public String toString() {
      return "fixed JWKS with " + keys.getKeys().size() + " key(s)";
    }
  }

  /**
   * A JWKS URL. It must be {@code https}, except that plain {@code http} is accepted for a loopback
   * host (a local test IdP or a sidecar); keys fetched in clear from anywhere else could be swapped
   * on the way.
   */
  static Remote url(String url) {
    if (url == null || url.isBlank() || url.length() > 2048) {
      throw new InvalidIdentityProviderConfig(
          "jwks_url", "is required (https://…, at most 2048 characters)");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new InvalidIdentityProviderConfig("jwks_url", "is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw new InvalidIdentityProviderConfig(
          "jwks_url", "must be an absolute URL with a host, without user info or fragment");
    }
    if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
      throw new InvalidIdentityProviderConfig(
          "jwks_url", "must use https (plain http only for a loopback host)");
    }
    try {
      uri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new InvalidIdentityProviderConfig("jwks_url", "is not a valid URL");
    }
    return new Remote(uri);
  }

  /**
   * Public keys from a JWKS JSON document ({@code {"keys":[…]}}). Private key material is refused.
   */
  static Fixed jwksJson(String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidIdentityProviderConfig("jwks", "is empty");
    }
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new InvalidIdentityProviderConfig("jwks", "is not a JWKS document ({\"keys\":[…]})");
    }
    return new Fixed(publicOnly(set), json);
  }

  /** Public keys from PEM: {@code PUBLIC KEY} blocks (RSA, EC P-256, Ed25519) or certificates. */
  static Fixed pem(String pem) {
    return new Fixed(PemPublicKeys.parse(pem), pem);
  }

  /** A JWKS JSON or PEM file, told apart by content. */
  static Fixed file(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidIdentityProviderConfig("jwks_file", "cannot be read: " + path);
    }
    return text.contains("-----BEGIN") ? pem(text) : jwksJson(text);
  }

  private static JWKSet publicOnly(JWKSet set) {
    if (set.getKeys().isEmpty()) {
      throw new InvalidIdentityProviderConfig("jwks", "holds no keys");
    }
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        // Refuse rather than strip: whoever pasted a private key should know it is now exposed.
        throw new InvalidIdentityProviderConfig(
            "jwks", "holds private key material; give only public keys");
      }
    }
    List<JWK> keys = set.getKeys().stream().map(JWK::toPublicJWK).toList();
    return new JWKSet(keys);
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literals: a name is not resolved here, so DNS cannot turn it into "loopback".
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
