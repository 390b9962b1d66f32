package dev.alter.cli.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/** Where the resolver service is: its base URL and, for TLS with a private CA, the CA file. */
public record ServiceEndpoint(URI uri, Path caFile) {
  public static final String DEFAULT_URL = "http://127.0.0.1:8470";

  /**
   * Validates the base URL; the exception message is shown as a usage error.
   *
   * @throws IllegalArgumentException when the URL is not an http(s) URL with a host, or when a CA
   *     file is given for a plain-HTTP URL (it would silently do nothing)
   */
  public static ServiceEndpoint of(String url, Path caFile) {
    URI uri;
    try {
      uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--url must be http(s)://host[:port], e.g. " + DEFAULT_URL + "; got " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--url must be http(s)://host[:port], e.g. " + DEFAULT_URL + "; got " + url);
    }
    if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          "--url must not contain user info, a query or a fragment; got " + url);
    }
    if (caFile != null && scheme.equals("http")) {
      throw new IllegalArgumentException("--ca-file applies to https:// URLs only");
    }
    return new ServiceEndpoint(uri, caFile);
  }

  URI resolve(String pathAndQuery) {
    return URI.create(uri.toString() + pathAndQuery);
  }

  /** Plain HTTP to anything but loopback sends the admin key in clear text. */
  public boolean isPlainHttpToRemoteHost() {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback =
        host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("[::1]")
            || host.equals("::1");
    return uri.getScheme().equalsIgnoreCase("http") && !loopback;
  }
}
