package dev.alter.identity;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One registered identity provider ({@code idp_…}): whose tokens to accept and how to read them.
 * Immutable and validated on {@link Builder#build()}; every problem is an {@link
 * InvalidIdentityProviderConfig} naming the field.
 */
public final class IdentityProviderConfig {
  public static final Pattern IDP_ID = Pattern.compile("idp_[A-Za-z0-9_-]{1,64}");
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  public static final String DEFAULT_USER_CLAIM = "sub";
  public static final String DEFAULT_GROUP_CLAIM = "groups";

  private final String idpId;
  private final String issuer;
  private final JwksLocation jwks;
  private final Set<String> audiences;
  private final Set<SigningAlgorithm> algorithms;
  private final Duration clockSkew;
  private final String userClaim;
  private final ClaimPath groupClaim;

  private IdentityProviderConfig(Builder b) {
    this.idpId = b.idpId;
    this.issuer = b.issuer;
    this.jwks = b.jwks;
    this.audiences = Collections.unmodifiableSet(new LinkedHashSet<>(b.audiences));
    this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(b.algorithms));
    this.clockSkew = b.clockSkew;
    this.userClaim = b.userClaim;
    this.groupClaim = b.groupClaim;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.idpId = idpId;
    b.issuer = issuer;
    b.jwks = jwks;
    b.audiences.addAll(audiences);
    b.algorithms.addAll(algorithms);
    b.clockSkew = clockSkew;
    b.userClaim = userClaim;
    b.groupClaim = groupClaim;
    return b;
  }

  public String idpId() {
    return idpId;
  }

  /**
   * Compared with the token's {@code iss} exactly (no normalisation, no trailing-slash leniency).
   */
  public String issuer() {
    return issuer;
  }

  public JwksLocation jwks() {
    return jwks;
  }

  /** A token is accepted when at least one of its {@code aud} values is in this set. */
  public Set<String> audiences() {
    return audiences;
  }

  public Set<SigningAlgorithm> algorithms() {
    return algorithms;
  }

  /** Leeway for {@code exp}, {@code nbf} and {@code iat} against the service's clock. */
  public Duration clockSkew() {
    return clockSkew;
  }

  /** The claim holding the user id that user grants name (default {@code sub}). */
  public String userClaim() {
    return userClaim;
  }

  /** Where the token lists the user's groups (default {@code groups}). */
  public ClaimPath groupClaim() {
    return groupClaim;
  }

  @Override
  public String toString() {
    return "IdentityProviderConfig{"
        + idpId
        + ", issuer="
        + issuer
        + ", jwks="
        + jwks
        + ", audiences="
        + audiences
        + ", algorithms="
        + algorithms
        + ", clockSkew="
        + clockSkew
        + ", userClaim="
        + userClaim
        + ", groupClaim="
        + groupClaim
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentityProviderConfig c
        && idpId.equals(c.idpId)
        && issuer.equals(c.issuer)
        && jwks.equals(c.jwks)
        && audiences.equals(c.audiences)
        && algorithms.equals(c.algorithms)
        && clockSkew.equals(c.clockSkew)
        && userClaim.equals(c.userClaim)
        && groupClaim.equals(c.groupClaim);
  }

  @Override
  public int hashCode() {
    return Objects.hash(idpId, issuer, audiences, algorithms);
  }

  public static final class Builder {
    private String idpId;
    private String issuer;
    private JwksLocation jwks;
    private final Set<String> audiences = new LinkedHashSet<>();
    private final Set<SigningAlgorithm> algorithms = EnumSet.noneOf(SigningAlgorithm.class);
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private String userClaim = DEFAULT_USER_CLAIM;
    private ClaimPath groupClaim = ClaimPath.parse(DEFAULT_GROUP_CLAIM);

    private Builder() {}

    public Builder idpId(String idpId) {
      this.idpId = idpId;
      return this;
    }

    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    public Builder jwks(JwksLocation jwks) {
      this.jwks = jwks;
      return this;
    }

    /** Shorthand for {@link JwksLocation#url(String)}. */
    public Builder jwksUrl(String url) {
      return jwks(JwksLocation.url(url));
    }

    public Builder audiences(Collection<String> audiences) {
      this.audiences.clear();
      this.audiences.addAll(audiences);
      return this;
    }

    public Builder audiences(String... audiences) {
      return audiences(java.util.List.of(audiences));
    }

    public Builder algorithms(Collection<SigningAlgorithm> algorithms) {
      this.algorithms.clear();
      this.algorithms.addAll(algorithms);
      return this;
    }

    public Builder algorithms(SigningAlgorithm... algorithms) {
      return algorithms(java.util.List.of(algorithms));
    }

    /**
     * Operator input such as {@code ["RS256","ES256"]}; HS*, none and unknown names are refused.
     */
    public Builder algorithmNames(Collection<String> names) {
      this.algorithms.clear();
      for (String name : names) {
        this.algorithms.add(SigningAlgorithm.parse(name));
      }
      return this;
    }

    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
      return this;
    }

    public Builder userClaim(String userClaim) {
      this.userClaim = userClaim;
      return this;
    }

    public Builder groupClaim(String path) {
      this.groupClaim = ClaimPath.parse(path);
      return this;
    }

    public IdentityProviderConfig build() {
      if (idpId == null || !IDP_ID.matcher(idpId).matches()) {
        throw new InvalidIdentityProviderConfig("idp_id", "is required and must look like idp_…");
      }
      text("issuer", issuer, 2048);
      if (jwks == null) {
        throw new InvalidIdentityProviderConfig(
            "jwks", "a JWKS URL, JWKS document or PEM public key is required");
      }
      if (audiences.isEmpty()) {
        throw new InvalidIdentityProviderConfig(
            "audiences", "at least one accepted audience is required");
      }
      for (String audience : audiences) {
        text("audiences", audience, 2048);
      }
      if (algorithms.isEmpty()) {
        throw new InvalidIdentityProviderConfig(
            "algorithms", "at least one of RS256, PS256, ES256, EdDSA is required");
      }
      if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
        throw new InvalidIdentityProviderConfig(
            "clock_skew", "must be between 0 and " + MAX_CLOCK_SKEW.toSeconds() + " seconds");
      }
      text("user_claim", userClaim, 256);
      if (groupClaim == null) {
        throw new InvalidIdentityProviderConfig("group_claim", "is required");
      }
      return new IdentityProviderConfig(this);
    }

    private static void text(String field, String value, int max) {
      if (value == null
          || value.isBlank()
          || value.length() > max
          || value.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidIdentityProviderConfig(
            field, "is required: 1-" + max + " characters without control characters");
      }
    }
  }
}
