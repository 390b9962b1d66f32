package dev.alter.service.app;

import org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;

/**
 * The Public Suffix List (its ICANN and private sections) as HttpClient 5 ships it: domains under
 * which unrelated owners register names ({@code co.uk}, {@code github.io}). Loaded on first use, so
 * only a wildcard destination pays for reading it.
 */
final class PublicSuffixes {
  private PublicSuffixes() {}

  private static final class Loaded {
    static final PublicSuffixMatcher MATCHER = PublicSuffixMatcherLoader.getDefault();
  }

  /**
   * @param domain a normalised (lower-case, IDNA ASCII) name
   */
  static boolean isPublicSuffix(String domain) {
    return Loaded.MATCHER.matches(domain);
  }
}
