package dev.alter.contract;

/**
 * RFC 9457 problem details body ({@code application/problem+json}) as every endpoint returns it.
 * JSON names are snake_case (see {@link WireFormat}). {@code detail} never contains credential or
 * token values.
 */
public final class Problem {
  public static final String MEDIA_TYPE = "application/problem+json";

  private String type;
  private String title;
  private int status;
  private String detail;
  private String code;
  private String grantId;

  public Problem() {}

  public static Problem of(ErrorCode error, String detail) {
    Problem p = new Problem();
    p.type = error.typeUri();
    p.title = error.title();
    p.status = error.httpStatus();
    p.detail = detail;
    p.code = error.code();
    return p;
  }

  public Problem withGrantId(String grantId) {
    this.grantId = grantId;
    return this;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getTitle() {
    return title;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  public int getStatus() {
    return status;
  }

  public void setStatus(int status) {
    this.status = status;
  }

  public String getDetail() {
    return detail;
  }

  public void setDetail(String detail) {
    this.detail = detail;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getGrantId() {
    return grantId;
  }

  public void setGrantId(String grantId) {
    this.grantId = grantId;
  }
}
