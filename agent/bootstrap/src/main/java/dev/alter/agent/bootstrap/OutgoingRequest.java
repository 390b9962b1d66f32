package dev.alter.agent.bootstrap;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/**
 * A client-neutral view of a request at the moment its header block is about to be written: the
 * origin actually dialled and the headers as the client will send them. Advice builds one from the
 * client's own types, only for requests that carry an {@code alter-*} header.
 */
public final class OutgoingRequest {
  private final String method;
  private final String scheme;
  private final String host;
  private final int port;
  private final String pathAndQuery;

  /**
   * Names at even and values at odd indexes, as the client will send them: one array rather than
   * two lists, as advice builds one of these for every tagged request.
   */
  private String[] namesAndValues = new String[16];

  private int headerCount;

  /**
   * Where the first {@code alter-grant} and {@code alter-identity} are, or -1: read per request.
   */
  private int grantAt = -1;

  private int identityAt = -1;
  private OutgoingBody body = OutgoingBody.unknown();
  private ResponseObserver responseObserver;

  /**
   * @param port the port dialled, or -1 when the URL names none (scheme default)
   * @param pathAndQuery the raw (already encoded) request target, e.g. {@code /v1/x?a=b}
   */
  public OutgoingRequest(String method, String scheme, String host, int port, String pathAndQuery) {
    this.method = method;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.pathAndQuery = pathAndQuery == null || pathAndQuery.isEmpty() ? "/" : pathAndQuery;
  }

  public OutgoingRequest header(String name, String value) {
    if (2 * headerCount == namesAndValues.length) {
      namesAndValues = Arrays.copyOf(namesAndValues, 2 * namesAndValues.length);
    }
    if (grantAt < 0 && AlterBridge.GRANT_HEADER.equalsIgnoreCase(name)) {
      grantAt = headerCount;
    } else if (identityAt < 0 && AlterBridge.IDENTITY_HEADER.equalsIgnoreCase(name)) {
      identityAt = headerCount;
    }
    namesAndValues[2 * headerCount] = name;
    namesAndValues[2 * headerCount + 1] = value;
    headerCount++;
    return this;
  }

  /** What advice knows of the body; only signing secrets (AWS) read it. Default: unknown. */
  public OutgoingRequest body(OutgoingBody outgoingBody) {
    this.body = outgoingBody == null ? OutgoingBody.unknown() : outgoingBody;
    return this;
  }

  public OutgoingBody body() {
    return body;
  }

  /**
   * Set by the injector on a request it injected, to be told the response's status ({@link
   * AwaitedResponses}).
   */
  public void responseObserver(ResponseObserver observer) {
    this.responseObserver = observer;
  }

  public ResponseObserver responseObserver() {
    return responseObserver;
  }

  public String method() {
    return method;
  }

  public String scheme() {
    return scheme;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String pathAndQuery() {
    return pathAndQuery;
  }

  /** The header names in order, a read-only view. */
  public List<String> headerNames() {
    return new HeaderColumn(0);
  }

  /** The header values, in the order of {@link #headerNames()}, a read-only view. */
  public List<String> headerValues() {
    return new HeaderColumn(1);
  }

  /** First value of a header, case-insensitively, or null. */
  public String firstHeader(String name) {
    for (int i = 0; i < headerCount; i++) {
      if (namesAndValues[2 * i].equalsIgnoreCase(name)) {
        return namesAndValues[2 * i + 1];
      }
    }
    return null;
  }

  /** The first {@code alter-grant} value as sent (untrimmed), or null. */
  public String grantHeader() {
    return grantAt < 0 ? null : namesAndValues[2 * grantAt + 1];
  }

  /** The first {@code alter-identity} value as sent (untrimmed), or null. */
  public String identityHeader() {
    return identityAt < 0 ? null : namesAndValues[2 * identityAt + 1];
  }

  /** The URL for audit and destination checks: no userinfo, no fragment. */
  public String url() {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return scheme.toLowerCase(Locale.ROOT)
        + "://"
        + h
        + (port > 0 ? ":" + port : "")
        + pathAndQuery;
  }

  /** Never prints header values: they may hold tokens. */
  @Override
  public String toString() {
    return method
        + " "
        + scheme
        + "://"
        + host
        + (port > 0 ? ":" + port : "")
        + " headers="
        + headerNames();
  }

  /** The names (column 0) or values (column 1) of the headers added so far. */
  private final class HeaderColumn extends AbstractList<String> implements RandomAccess {
    private final int column;

    HeaderColumn(int column) {
      this.column = column;
    }

    @Override
    public String get(int index) {
      if (index < 0 || index >= headerCount) {
        throw new IndexOutOfBoundsException("header " + index + " of " + headerCount);
      }
      return namesAndValues[2 * index + column];
    }

    @Override
    public int size() {
      return headerCount;
    }
  }
}
