package dev.alter.it.harness;

import dev.alter.it.child.RequestLine;
import java.util.ArrayList;
import java.util.List;

/** Builds the stdin line a scripted child app turns into one request ({@link RequestLine}). */
public final class ChildRequest {
  private final String method;
  private final String url;
  private final List<String> headers = new ArrayList<>();
  private String body;
  private String redirects;

  private ChildRequest(String method, String url) {
    this.method = method;
    this.url = url;
  }

  public static ChildRequest get(String url) {
    return new ChildRequest("GET", url);
  }

  public static ChildRequest post(String url, String body) {
    ChildRequest request = new ChildRequest("POST", url);
    request.body = body;
    return request;
  }

  public ChildRequest header(String name, String value) {
    headers.add(name + ": " + value);
    return this;
  }

  /** Adds {@code alter-grant: grantId}. */
  public ChildRequest grant(String grantId) {
    return header("alter-grant", grantId);
  }

  /** {@code NORMAL}, {@code NEVER} or {@code ALWAYS} (JDK {@code HttpClient.Redirect}). */
  public ChildRequest redirects(String policy) {
    this.redirects = policy;
    return this;
  }

  /** The line, without the command word. */
  public String toLine() {
    StringBuilder sb = new StringBuilder();
    sb.append("method=").append(method).append('\t').append("url=").append(RequestLine.escape(url));
    for (String h : headers) {
      sb.append("\theader=").append(RequestLine.escape(h));
    }
    if (body != null) {
      sb.append("\tbody=").append(RequestLine.escape(body));
    }
    if (redirects != null) {
      sb.append("\tredirects=").append(redirects);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return method + " " + url + " " + headers;
  }
}
