package dev.alter.service.app;

import dev.alter.contract.DestinationPattern;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.PartPlaceholders;
import dev.alter.contract.WireFormat;
import dev.alter.service.catalog.Provider;
import dev.alter.service.mint.MintingSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for what a managed secret may hold. Every failure is a validation_failed naming the
 * field; no message ever contains a credential value.
 */
final class SecretValidation {
  static final int MAX_CREDENTIAL_BYTES = 16 * 1024;
  static final int MAX_LABEL = 128;
  static final int MAX_DESTINATIONS = 32;
  static final int MAX_PARTS = 8;
  static final int MAX_HEADERS = 8;
  static final int MIN_TTL = 5;
  static final int MAX_TTL = 3600;

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
  private static final Pattern QUERY_PARAM = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
  private static final Pattern AWS_NAME = Pattern.compile("[a-z0-9-]{1,32}");

  /** Headers that frame the request itself: letting a secret own them would break HTTP. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "upgrade",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection",
          "expect");

  private SecretValidation() {}

  static String label(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalid(field + " is required");
    }
    if (value.length() > MAX_LABEL || hasControl(value)) {
      throw ApiException.invalid(
          field + " must be at most " + MAX_LABEL + " characters without control characters");
    }
    return value;
  }

  static int ttl(Integer value, int fallback) {
    int ttl = value == null ? fallback : value;
    if (ttl < MIN_TTL || ttl > MAX_TTL) {
      throw ApiException.invalid("ttl_seconds must be from " + MIN_TTL + " to " + MAX_TTL);
    }
    return ttl;
  }

  /** The injection to store: the operator's override, else the catalog's. */
  static InjectionSpec injection(Provider provider, InjectionSpec override) {
    InjectionSpec spec = override != null ? override : provider.injection();
    if (spec == null) {
      throw ApiException.invalid("injection is required for provider '" + provider.id() + "'");
    }
    String type = spec.getType();
    if (type == null) {
      throw ApiException.invalid("injection.type is required (header, basic, query or aws_sigv4)");
    }
    boolean aws = Provider.AWS.equals(provider.id());
    switch (type) {
      case InjectionSpec.HEADER -> {
        onlyFields(spec, "headers");
        List<InjectionSpec.HeaderTemplate> headers = spec.getHeaders();
        if (headers == null || headers.isEmpty() || headers.size() > MAX_HEADERS) {
          throw ApiException.invalid(
              "injection.headers must list 1 to " + MAX_HEADERS + " headers");
        }
        Set<String> names = new LinkedHashSet<>();
        boolean usesCredential = false;
        List<InjectionSpec.HeaderTemplate> copy = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
          InjectionSpec.HeaderTemplate h = headers.get(i);
          String field = "injection.headers[" + i + "]";
          if (h == null || h.getName() == null || !HEADER_NAME.matcher(h.getName()).matches()) {
            throw ApiException.invalid(
                field + ".name must be an HTTP header name of 1-64 characters");
          }
          String lower = h.getName().toLowerCase(Locale.ROOT);
          if (WireFormat.isAlterHeader(lower)
              || lower.startsWith("alter-")
              || RESERVED_HEADERS.contains(lower)) {
            throw ApiException.invalid(field + ".name '" + h.getName() + "' cannot be injected");
          }
          if (!names.add(lower)) {
            throw ApiException.invalid(field + ".name '" + h.getName() + "' appears twice");
          }
          String template = h.getTemplate();
          if (template == null
              || template.isEmpty()
              || template.length() > 512
              || hasControl(template)) {
            throw ApiException.invalid(
                field + ".template must be 1-512 characters without control characters");
          }
          Set<String> used = PartPlaceholders.partsIn(template);
          if (used.isEmpty()) {
            throw ApiException.invalid(
                field + ".template must name a credential part, e.g. {credential}");
          }
          if (PartPlaceholders.hasStrayBrace(template)) {
            throw ApiException.invalid(
                field + ".template has a brace that is not a {part_name} placeholder");
          }
          usesCredential |= used.contains(WireFormat.PRIMARY_PART);
          copy.add(new InjectionSpec.HeaderTemplate(h.getName(), template, h.isOptional()));
        }
        if (!usesCredential) {
          throw ApiException.invalid(
              "injection.headers must use {credential} in at least one template");
        }
        if (aws) {
          throw ApiException.invalid(
              "provider 'aws' is injected by signing: injection.type must be aws_sigv4");
        }
        return InjectionSpec.headers(copy);
      }
      case InjectionSpec.BASIC -> {
        onlyFields(spec, "username");
        String user = spec.getUsername();
        if (user == null
            || user.isEmpty()
            || user.length() > 256
            || user.contains(":")
            || hasControl(user)) {
          throw ApiException.invalid(
              "injection.username is required for basic injection"
                  + ("twilio".equals(provider.id()) ? " (the Twilio Account SID)" : "")
                  + ": 1-256 characters, no ':' or control characters");
        }
        if (aws) {
          throw ApiException.invalid(
              "provider 'aws' is injected by signing: injection.type must be aws_sigv4");
        }
        return InjectionSpec.basic(user);
      }
      case InjectionSpec.QUERY -> {
        onlyFields(spec, "query_param");
        if (spec.getQueryParam() == null || !QUERY_PARAM.matcher(spec.getQueryParam()).matches()) {
          throw ApiException.invalid(
              "injection.query_param must be 1-64 characters of A-Z a-z 0-9 . _ ~ -");
        }
        if (aws) {
          throw ApiException.invalid(
              "provider 'aws' is injected by signing: injection.type must be aws_sigv4");
        }
        return InjectionSpec.query(spec.getQueryParam());
      }
      case InjectionSpec.AWS_SIGV4 -> {
        onlyFields(spec, "aws_region", "aws_service");
        if (!aws) {
          throw ApiException.invalid("injection.type aws_sigv4 is only for provider 'aws'");
        }
        for (String[] f :
            new String[][] {
              {"aws_region", spec.getAwsRegion()}, {"aws_service", spec.getAwsService()}
            }) {
          if (f[1] != null && !AWS_NAME.matcher(f[1]).matches()) {
            throw ApiException.invalid(
                "injection." + f[0] + " must be 1-32 characters of a-z 0-9 -");
          }
        }
        return InjectionSpec.awsSigV4(spec.getAwsRegion(), spec.getAwsService());
      }
      default ->
          throw ApiException.invalid("injection.type must be header, basic, query or aws_sigv4");
    }
  }

  private static void onlyFields(InjectionSpec spec, String... allowed) {
    Set<String> ok = Set.of(allowed);
    Map<String, Object> present = new LinkedHashMap<>();
    present.put("headers", spec.getHeaders());
    present.put("username", spec.getUsername());
    present.put("query_param", spec.getQueryParam());
    present.put("aws_region", spec.getAwsRegion());
    present.put("aws_service", spec.getAwsService());
    for (Map.Entry<String, Object> e : present.entrySet()) {
      if (e.getValue() != null && !ok.contains(e.getKey())) {
        throw ApiException.invalid(
            "injection." + e.getKey() + " does not apply to injection.type " + spec.getType());
      }
    }
  }

  /**
   * For a new injection on a stored secret: every part a non-optional header template names must be
   * declared by the provider (or, for custom, be any name) and be in the stored credential. Names
   * only: the parts' values stay where they are.
   */
  static void fitsStoredParts(
      Provider provider, InjectionSpec injection, java.util.Collection<String> storedParts) {
    if (!InjectionSpec.HEADER.equals(injection.getType())) {
      return; // basic, query and aws_sigv4 use the primary credential (and aws its fixed parts)
    }
    for (InjectionSpec.HeaderTemplate h : injection.getHeaders()) {
      for (String part : PartPlaceholders.partsIn(h.getTemplate())) {
        if (!WireFormat.PRIMARY_PART.equals(part)) {
          requireDeclared(provider, part);
        }
        if (!h.isOptional() && !storedParts.contains(part)) {
          throw ApiException.invalid(
              "injection header '"
                  + h.getName()
                  + "' needs credential part '"
                  + part
                  + "', which the stored credential lacks: store a credential with it first (PUT /v1/secrets/{id}/credential)"
                  + " or mark the header optional");
        }
      }
    }
  }

  /**
   * A header template may name any part of a custom secret, but only declared parts of a catalog
   * provider's.
   */
  private static void requireDeclared(Provider provider, String part) {
    if (!provider.operatorDefined() && !provider.parts().contains(part)) {
      throw ApiException.invalid(
          "injection template names part '"
              + part
              + "', which provider '"
              + provider.id()
              + "' does not declare");
    }
  }

  /**
   * The credential and its parts, in payload order ({@code credential} first), checked against what
   * the provider and the injection declare; {@code now} dates the check of AWS session credentials.
   */
  static Map<String, String> credentialParts(
      Provider provider,
      InjectionSpec injection,
      String credential,
      Map<String, String> parts,
      Instant now) {
    if (provider.minted() && credential != null) {
      // a PEM key keeps its line breaks: minted secrets' credentials are never injected
      checkValue("credential", credential.replace("\r", "").replace("\n", ""));
    } else {
      checkValue("credential", credential);
    }
    Set<String> allowed = new LinkedHashSet<>(provider.parts());
    Set<String> required = new LinkedHashSet<>(provider.requiredParts());
    if (InjectionSpec.HEADER.equals(injection.getType())) {
      for (InjectionSpec.HeaderTemplate h : injection.getHeaders()) {
        Set<String> used = PartPlaceholders.partsIn(h.getTemplate());
        used.remove(WireFormat.PRIMARY_PART);
        used.forEach(part -> requireDeclared(provider, part));
        allowed.addAll(used);
        if (!h.isOptional()) {
          required.addAll(used);
        }
      }
    }
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put(WireFormat.PRIMARY_PART, credential);
    Map<String, String> given = parts == null ? Map.of() : parts;
    if (given.size() > MAX_PARTS) {
      throw ApiException.invalid("credential_parts may hold at most " + MAX_PARTS + " parts");
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey();
      if (!PartPlaceholders.isPartName(name) || WireFormat.PRIMARY_PART.equals(name)) {
        throw ApiException.invalid("credential_parts has an invalid part name");
      }
      if (!allowed.contains(name)) {
        throw ApiException.invalid(
            "credential_parts."
                + name
                + " is not a part of provider '"
                + provider.id()
                + "'"
                + (allowed.isEmpty()
                    ? " (it declares none)"
                    : " (declared: " + String.join(", ", allowed) + ")"));
      }
      checkValue("credential_parts." + name, e.getValue());
      payload.put(name, e.getValue());
    }
    if (Provider.AWS.equals(provider.id())) {
      AwsStoredCredential.checkForStorage(payload, now);
    }
    for (String part : required) {
      if (!payload.containsKey(part)) {
        throw ApiException.invalid("credential_parts." + part + " is required");
      }
    }
    return payload;
  }

  /**
   * A minted secret's parts (token endpoint, client, key) and an injection that names only the
   * minted token: the agent receives nothing else.
   */
  static void minting(
      Provider provider, InjectionSpec injection, Map<String, String> parts, boolean plainHttp) {
    if (!provider.minted()) {
      return;
    }
    if (InjectionSpec.AWS_SIGV4.equals(injection.getType())
        || InjectionSpec.BASIC.equals(injection.getType())) {
      throw ApiException.invalid(
          "provider '" + provider.id() + "' injects a minted token: use header or query injection");
    }
    if (InjectionSpec.HEADER.equals(injection.getType())) {
      for (InjectionSpec.HeaderTemplate h : injection.getHeaders()) {
        if (!Set.of(WireFormat.PRIMARY_PART)
            .containsAll(PartPlaceholders.partsIn(h.getTemplate()))) {
          throw ApiException.invalid(
              "injection.headers of a minted secret may name only {credential} (the minted token)");
        }
      }
    }
    try {
      MintingSettings.check(provider.minting(), parts, plainHttp);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static void checkValue(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.invalid(field + " is required and must not be empty");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > MAX_CREDENTIAL_BYTES) {
      throw ApiException.invalid(field + " is longer than " + MAX_CREDENTIAL_BYTES + " bytes");
    }
    if (hasControl(value)) {
      // a line break in a header value would let a credential forge other headers
      throw ApiException.invalid(field + " contains control characters");
    }
  }

  /**
   * Canonical destination patterns; plain http only when {@code allowPlainHttp}. A wildcard
   * directly under a public suffix is refused unless the suffix lies inside a domain the provider's
   * own catalog destinations cover: {@code *.s3.eu-west-1.amazonaws.com} names AWS's endpoints for
   * an {@code aws} secret, while {@code *.github.io} names other people's sites.
   */
  static List<String> destinations(List<String> given, boolean allowPlainHttp, Provider provider) {
    if (given == null || given.isEmpty() || given.size() > MAX_DESTINATIONS) {
      throw ApiException.invalid("destinations must list 1 to " + MAX_DESTINATIONS + " entries");
    }
    Set<String> canonical = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      DestinationPattern p;
      try {
        p = DestinationPattern.parse(given.get(i));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("destinations[" + i + "]: " + e.getMessage());
      }
      if (p.wildcardDomain() != null
          && PublicSuffixes.isPublicSuffix(p.wildcardDomain())
          && !coveredByCatalog(p.wildcardDomain(), provider)) {
        throw ApiException.invalid(
            "destinations["
                + i
                + "]: a wildcard directly under a public suffix would match "
                + "sites of unrelated owners; put it under a registered domain (*.example.co.uk, not *.co.uk)");
      }
      if (p.isPlainHttp() && !allowPlainHttp) {
        throw ApiException.invalid(
            "destinations[" + i + "] is plain http: set allow_plain_http to true to allow it");
      }
      canonical.add(p.toString());
    }
    return List.copyOf(canonical);
  }

  /** Whether a wildcard destination of the provider's catalog entry spans {@code domain}. */
  private static boolean coveredByCatalog(String domain, Provider provider) {
    for (String text : provider.destinations()) {
      String catalogDomain = DestinationPattern.parse(text).wildcardDomain();
      if (catalogDomain != null && domain.endsWith("." + catalogDomain)) {
        return true;
      }
    }
    return false;
  }

  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
