package dev.alter.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a secret's credential goes into a request. Exactly one style:
 *
 * <ul>
 *   <li>{@code header}: one or more headers, each a {@link HeaderTemplate} whose value template
 *       names credential parts in braces ({@code "Bearer {credential}"}).
 *   <li>{@code basic}: {@code Authorization: Basic base64(username:credential)}.
 *   <li>{@code query}: the credential as query parameter {@code queryParam}.
 *   <li>{@code aws_sigv4}: the request is signed (region/service from the host unless set here).
 * </ul>
 */
public final class InjectionSpec {
  public static final String HEADER = "header";
  public static final String BASIC = "basic";
  public static final String QUERY = "query";
  public static final String AWS_SIGV4 = "aws_sigv4";

  private String type;
  private List<HeaderTemplate> headers;
  private String username;
  private String queryParam;
  private String awsRegion;
  private String awsService;

  public InjectionSpec() {}

  public static InjectionSpec headers(List<HeaderTemplate> headers) {
    InjectionSpec s = new InjectionSpec();
    s.type = HEADER;
    s.headers = new ArrayList<>(headers);
    return s;
  }

  public static InjectionSpec basic(String username) {
    InjectionSpec s = new InjectionSpec();
    s.type = BASIC;
    s.username = username;
    return s;
  }

  public static InjectionSpec query(String param) {
    InjectionSpec s = new InjectionSpec();
    s.type = QUERY;
    s.queryParam = param;
    return s;
  }

  public static InjectionSpec awsSigV4(String region, String service) {
    InjectionSpec s = new InjectionSpec();
    s.type = AWS_SIGV4;
    s.awsRegion = region;
    s.awsService = service;
    return s;
  }

  /**
   * Lower-case names of the headers this spec owns: any header of the same name the app or an SDK
   * set is replaced. All other headers pass through untouched.
   */
  public Set<String> ownedHeaderNames() {
    Set<String> names = new LinkedHashSet<>();
    if (HEADER.equals(type) && headers != null) {
      for (HeaderTemplate h : headers) {
        names.add(h.getName().toLowerCase(Locale.ROOT));
      }
    } else if (BASIC.equals(type)) {
      names.add("authorization");
    } else if (AWS_SIGV4.equals(type)) {
      names.add("authorization");
      names.add("x-amz-date");
      names.add("x-amz-security-token");
    }
    return Collections.unmodifiableSet(names);
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public List<HeaderTemplate> getHeaders() {
    return headers;
  }

  public void setHeaders(List<HeaderTemplate> headers) {
    this.headers = headers;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getQueryParam() {
    return queryParam;
  }

  public void setQueryParam(String queryParam) {
    this.queryParam = queryParam;
  }

  public String getAwsRegion() {
    return awsRegion;
  }

  public void setAwsRegion(String awsRegion) {
    this.awsRegion = awsRegion;
  }

  public String getAwsService() {
    return awsService;
  }

  public void setAwsService(String awsService) {
    this.awsService = awsService;
  }

  /**
   * One injected header: {@code name} and a value template such as {@code "Bearer {credential}"}.
   */
  public static final class HeaderTemplate {
    private String name;
    private String template;

    /** When true, the header is left out if a part the template names is not stored. */
    private boolean optional;

    public HeaderTemplate() {}

    public HeaderTemplate(String name, String template, boolean optional) {
      this.name = name;
      this.template = template;
      this.optional = optional;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getTemplate() {
      return template;
    }

    public void setTemplate(String template) {
      this.template = template;
    }

    public boolean isOptional() {
      return optional;
    }

    public void setOptional(boolean optional) {
      this.optional = optional;
    }
  }
}
