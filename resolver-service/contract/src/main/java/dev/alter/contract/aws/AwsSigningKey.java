package dev.alter.contract.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 signing key for one (UTC date, region, service) scope. The service derives it from the
 * secret access key and hands out only this (SECURITY.md invariant 4): it signs requests for that
 * day, region and service and nothing else, and the secret cannot be recovered from it.
 */
public final class AwsSigningKey {
  private AwsSigningKey() {}

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
  public static byte[] derive(String secretAccessKey, AwsScope scope) {
    try {
      byte[] kDate =
          hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope.date());
      byte[] kRegion = hmac(kDate, scope.region());
      byte[] kService = hmac(kRegion, scope.service());
      return hmac(kService, "aws4_request");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
