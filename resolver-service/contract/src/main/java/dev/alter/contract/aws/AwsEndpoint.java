package dev.alter.contract.aws;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Region and SigV4 signing name from an AWS endpoint host ({@code s3.us-east-1.amazonaws.com},
 * {@code bucket.s3.eu-west-1.amazonaws.com}, {@code bedrock-runtime.us-west-2.amazonaws.com},
 * global {@code sts.amazonaws.com} / {@code iam.amazonaws.com} → us-east-1). Hosts outside AWS's
 * domains answer null: the secret's configured region and service apply there.
 */
public final class AwsEndpoint {
  private static final List<String> AWS_SUFFIXES =
      Arrays.asList(".amazonaws.com.cn", ".amazonaws.com", ".api.aws");
  private static final Pattern REGION =
      Pattern.compile(
          "[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\\d");
  private static final String GLOBAL_REGION = "us-east-1";

  /** Endpoint prefixes whose signing name differs. */
  private static final Map<String, String> SIGNING_NAMES = new HashMap<>();

  static {
    SIGNING_NAMES.put("bedrock-runtime", "bedrock");
    SIGNING_NAMES.put("bedrock-agent-runtime", "bedrock");
    SIGNING_NAMES.put("bedrock-agent", "bedrock");
    SIGNING_NAMES.put("email", "ses");
    SIGNING_NAMES.put("streams.dynamodb", "dynamodb");
    SIGNING_NAMES.put("s3-control", "s3");
  }

  private final String region;
  private final String service;

  private AwsEndpoint(String region, String service) {
    this.region = region;
    this.service = service;
  }

  public String region() {
    return region;
  }

  public String service() {
    return service;
  }

  /**
   * @param host a normalised (lower-case, no trailing dot) host name
   */
  public static AwsEndpoint fromHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    String prefix = null;
    for (String suffix : AWS_SUFFIXES) {
      if (h.endsWith(suffix) && h.length() > suffix.length()) {
        prefix = h.substring(0, h.length() - suffix.length());
        break;
      }
    }
    if (prefix == null) {
      return null;
    }
    String[] labels = prefix.split("\\.");
    for (int i = labels.length - 1; i >= 0; i--) {
      if (REGION.matcher(labels[i]).matches()) {
        return new AwsEndpoint(labels[i], serviceBefore(labels, i));
      }
    }
    String last = labels[labels.length - 1];
    if (last.startsWith("s3-")) {
      // legacy s3-eu-west-1.amazonaws.com and s3-external-1.amazonaws.com
      String rest = last.substring(3);
      return new AwsEndpoint(REGION.matcher(rest).matches() ? rest : GLOBAL_REGION, "s3");
    }
    return new AwsEndpoint(GLOBAL_REGION, signingName(last));
  }

  private static String serviceBefore(String[] labels, int regionIndex) {
    int i = regionIndex - 1;
    while (i >= 0 && (labels[i].equals("dualstack") || labels[i].equals("fips"))) {
      i--;
    }
    if (i < 0) {
      return null;
    }
    if (i > 0 && SIGNING_NAMES.containsKey(labels[i - 1] + "." + labels[i])) {
      return SIGNING_NAMES.get(labels[i - 1] + "." + labels[i]);
    }
    return signingName(labels[i]);
  }

  private static String signingName(String endpointPrefix) {
    String name =
        endpointPrefix.endsWith("-fips")
            ? endpointPrefix.substring(0, endpointPrefix.length() - 5)
            : endpointPrefix;
    return SIGNING_NAMES.getOrDefault(name, name);
  }

  @Override
  public String toString() {
    return region + "/" + service;
  }
}
