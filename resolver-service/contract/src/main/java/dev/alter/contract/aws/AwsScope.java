package dev.alter.contract.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/** A SigV4 credential scope: UTC date ({@code yyyyMMdd}), region and service. */
public final class AwsScope {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final Pattern DATE_FORM = Pattern.compile("\\d{8}");
  private static final Pattern NAME_FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final String date;
  private final String region;
  private final String service;

  public AwsScope(String date, String region, String service) {
    if (date == null || !DATE_FORM.matcher(date).matches()) {
      throw new IllegalArgumentException("scope date must be yyyyMMdd");
    }
    if (region == null || !NAME_FORM.matcher(region).matches()) {
      throw new IllegalArgumentException("scope region must be a lower-case AWS region name");
    }
    if (service == null || !NAME_FORM.matcher(service).matches()) {
      throw new IllegalArgumentException("scope service must be a lower-case AWS service name");
    }
    this.date = date;
    this.region = region;
    this.service = service;
  }

  public static AwsScope at(Instant time, String region, String service) {
    return new AwsScope(DATE.format(time), region, service);
  }

  public String date() {
    return date;
  }

  public String region() {
    return region;
  }

  public String service() {
    return service;
  }

  /** {@code 20150830/us-east-1/service/aws4_request} */
  public String credentialScope() {
    return date + "/" + region + "/" + service + "/aws4_request";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AwsScope)) {
      return false;
    }
    AwsScope s = (AwsScope) o;
    return date.equals(s.date) && region.equals(s.region) && service.equals(s.service);
  }

  @Override
  public int hashCode() {
    return Objects.hash(date, region, service);
  }

  @Override
  public String toString() {
    return credentialScope();
  }
}
