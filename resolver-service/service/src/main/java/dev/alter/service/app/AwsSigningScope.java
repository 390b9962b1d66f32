package dev.alter.service.app;

import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.aws.AwsEndpoint;
import dev.alter.contract.aws.AwsScope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The SigV4 scope a resolve of an {@code aws} secret derives its signing key for: region and
 * service from the destination host (AWS's own endpoint names), else from the secret's {@code
 * aws_region}/{@code aws_service} (custom endpoints such as S3-compatible stores); the date is the
 * caller's {@code signing_date} when it is within a day of the service's UTC date, else the
 * service's UTC date.
 */
final class AwsSigningScope {
  static final DateTimeFormatter SIGNING_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

  private AwsSigningScope() {}

  /**
   * @param host the destination's normalised host (lower case, no trailing dot)
   * @param settings the secret's stored injection ({@code aws_region}, {@code aws_service}, either
   *     may be null)
   * @param signingDate the request's {@code signing_date}, or null
   * @throws ApiException validation_failed naming the grant and the setting or field to fix
   */
  static AwsScope resolve(
      String grantId, String host, InjectionSpec settings, String signingDate, Instant now) {
    AwsEndpoint endpoint = host == null ? null : AwsEndpoint.fromHost(host);
    String region =
        endpoint != null && endpoint.region() != null ? endpoint.region() : settings.getAwsRegion();
    String service =
        endpoint != null && endpoint.service() != null
            ? endpoint.service()
            : settings.getAwsService();
    if (region == null || service == null) {
      String missing =
          region == null && service == null
              ? "region and service"
              : region == null ? "region" : "service";
      String settingsToSet =
          region == null && service == null
              ? "injection.aws_region and injection.aws_service"
              : region == null ? "injection.aws_region" : "injection.aws_service";
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "grant "
              + grantId
              + " cannot be signed for host "
              + host
              + ": the AWS "
              + missing
              + " cannot be read from that host name; "
              + "store the secret with "
              + settingsToSet
              + " set (alter secrets store --aws-region/--aws-service)",
          grantId);
    }
    String date = date(grantId, signingDate, now);
    try {
      return new AwsScope(date, region, service);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "grant " + grantId + " cannot be signed for host " + host + ": " + e.getMessage(),
          grantId);
    }
  }

  private static String date(String grantId, String signingDate, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (signingDate == null) {
      return SIGNING_DATE.format(today);
    }
    LocalDate requested;
    try {
      requested = LocalDate.parse(signingDate, SIGNING_DATE);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "signing_date must be a UTC date written yyyyMMdd, e.g. " + SIGNING_DATE.format(today),
          grantId);
    }
    if (requested.isBefore(today.minusDays(1)) || requested.isAfter(today.plusDays(1))) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "signing_date "
              + signingDate
              + " is more than one day from the service's UTC date "
              + SIGNING_DATE.format(today)
              + ": check the clock of the calling host",
          grantId);
    }
    return signingDate;
  }
}
