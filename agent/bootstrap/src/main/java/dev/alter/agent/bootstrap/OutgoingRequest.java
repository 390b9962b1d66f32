package dev.alter.agent.bootstrap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

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
  private final List<String> headerNames = new ArrayList<>();
  private final List<String> headerValues = new ArrayList<>();
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
    headerNames.add(name);
    headerValues.add(value);
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

  public List<String> headerNames() {
    return Collections.unmodifiableList(headerNames);
  }

  public List<String> headerValues() {
    return Collections.unmodifiableList(headerValues);
  }

  /** First value of a header, case-insensitively, or null. */
  public String firstHeader(String name) {
    for (int i = 0; i < headerNames.size(); i++) {
      if (headerNames.get(i).equalsIgnoreCase(name)) {
        return headerValues.get(i);
      }
    }
    return null;
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
        + headerNames;
  }
}
