package dev.alter.agent.injection;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.AnswerPreparer;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.ErrorCode;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.PartPlaceholders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns a secret's {@link InjectionSpec} and its credential parts into the {@link RequestRewrite}
 * for one request: header templates with {@code {part}} placeholders (an optional header is left
 * out when a part it names is not stored), HTTP Basic, or a query parameter appended to the request
 * target. Error messages name parts and headers, never values.
 *
 * <p>As the resolver's {@link AnswerPreparer}, it builds the rewrite of a header or Basic injection
 * once per resolved answer: that rewrite depends only on the spec and the parts, so the same
 * immutable rewrite serves every request the answer does.
 */
public final class InjectionApplier implements AnswerPreparer<RequestRewrite> {

  /**
   * The rewrite of a header or Basic injection; null for a query or AWS one (they vary per request)
   * and for a spec that cannot be applied (each request then fails with the error naming its grant,
   * and nothing failed is kept).
   */
  @Override
  public RequestRewrite prepare(ResolvedCredential answer) {
    InjectionSpec spec = answer.injection();
    if (spec == null
        || !InjectionSpec.HEADER.equals(spec.getType())
            && !InjectionSpec.BASIC.equals(spec.getType())) {
      return null;
    }
    try {
      return apply(answer.grantId(), spec, answer.payload(), "/");
    } catch (AlterCredentialException unusable) {
      return null;
    }
  }

  /**
   * The rewrite for one request: the {@code prepared} rewrite of this credential when there is one,
   * otherwise built for this request (failing when the spec cannot be applied).
   */
  public RequestRewrite apply(
      String grant, ResolvedCredential credential, RequestRewrite prepared, String pathAndQuery)
      throws AlterCredentialException {
    if (prepared != null) {
      return prepared;
    }
    return apply(grant, credential.injection(), credential.payload(), pathAndQuery);
  }

  public RequestRewrite apply(
      String grant, InjectionSpec spec, CredentialPayload payload, String pathAndQuery)
      throws AlterCredentialException {
    RequestRewrite.Builder rewrite = RequestRewrite.builder();
    String type = spec.getType() == null ? "" : spec.getType();
    switch (type) {
      case InjectionSpec.HEADER:
        applyHeaders(grant, spec, payload, rewrite);
        break;
      case InjectionSpec.BASIC:
        applyBasic(grant, spec, payload, rewrite);
        break;
      case InjectionSpec.QUERY:
        applyQuery(grant, spec, payload, pathAndQuery, rewrite);
        break;
      case InjectionSpec.AWS_SIGV4:
        // signing covers the whole request (method, target, headers, body): AwsRequestSigner does
        // it
        throw invalid(
            grant,
            "AWS SigV4 secrets are signed by the request signer, not injected as headers",
            "report this: the agent routed an AWS secret to header injection");
      default:
        throw invalid(
            grant,
            "unknown injection type '" + type + "'",
            "upgrade the Alter agent, or fix the secret's injection spec");
    }
    return rewrite.build();
  }

  private static void applyHeaders(
      String grant, InjectionSpec spec, CredentialPayload payload, RequestRewrite.Builder rewrite)
      throws AlterCredentialException {
    if (spec.getHeaders() == null || spec.getHeaders().isEmpty()) {
      throw invalid(
          grant,
          "the secret's header injection names no header",
          "fix the secret's injection spec");
    }
    for (InjectionSpec.HeaderTemplate header : spec.getHeaders()) {
      String name = header.getName();
      if (name == null || !isToken(name)) {
        throw invalid(
            grant,
            "the secret's injection names an invalid header",
            "fix the secret's injection spec");
      }
      String value = fill(grant, header.getTemplate(), payload, header.isOptional(), name);
      if (value == null) {
        // optional header whose part is not stored: leave it out, but still drop any app-set copy
        rewrite.remove(name);
        continue;
      }
      rewrite.put(name, value);
    }
  }

  private static void applyBasic(
      String grant, InjectionSpec spec, CredentialPayload payload, RequestRewrite.Builder rewrite)
      throws AlterCredentialException {
    String username =
        spec.getUsername() == null
            ? ""
            : fill(grant, spec.getUsername(), payload, false, "username");
    if (username.indexOf(':') >= 0) {
      throw invalid(grant, "the Basic user name contains ':'", "fix the secret's injection spec");
    }
    String password =
        requirePart(grant, payload, dev.alter.contract.WireFormat.PRIMARY_PART, "Authorization");
    String token =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    rewrite.put("Authorization", "Basic " + token);
  }

  private static void applyQuery(
      String grant,
      InjectionSpec spec,
      CredentialPayload payload,
      String pathAndQuery,
      RequestRewrite.Builder rewrite)
      throws AlterCredentialException {
    String param = spec.getQueryParam();
    if (param == null || param.isEmpty()) {
      throw invalid(
          grant,
          "the secret's query injection names no parameter",
          "fix the secret's injection spec");
    }
    String value =
        requirePart(
            grant, payload, dev.alter.contract.WireFormat.PRIMARY_PART, "query parameter " + param);
    rewrite.pathAndQuery(withQueryParameter(pathAndQuery, param, value));
  }

  /**
   * Appends {@code name=value} (percent-encoded) to a raw request target, first removing any
   * parameter of the same name the app set, so the credential is the only value the server sees.
   */
  static String withQueryParameter(String pathAndQuery, String name, String value) {
    RequestTarget target = RequestTarget.parse(pathAndQuery);
    String path = target.rawPath;
    String encodedName = encode(name);
    StringBuilder query = new StringBuilder();
    if (target.rawQuery != null) {
      for (String pair : target.rawQuery.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String pairName = eq < 0 ? pair : pair.substring(0, eq);
        if (pairName.equals(encodedName) || decodesTo(pairName, name)) {
          continue;
        }
        query.append(query.length() == 0 ? "" : "&").append(pair);
      }
    }
    query
        .append(query.length() == 0 ? "" : "&")
        .append(encodedName)
        .append('=')
        .append(encode(value));
    return path + "?" + query;
  }

  private static boolean decodesTo(String raw, String name) {
    try {
      return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8).equals(name);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** RFC 3986 unreserved characters stay; everything else is %XX (space is %20, not '+'). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /**
   * Replaces each {@code {part}} in the template. Returns null when an optional template names a
   * part that is not stored.
   */
  private static String fill(
      String grant, String template, CredentialPayload payload, boolean optional, String target)
      throws AlterCredentialException {
    if (template == null) {
      throw invalid(
          grant,
          "the secret's injection for " + target + " has no template",
          "fix the secret's injection spec");
    }
    for (String part : PartPlaceholders.partsIn(template)) {
      if (payload.part(part) == null) {
        if (optional) {
          return null;
        }
        throw invalid(
            grant,
            "the secret stores no '" + part + "' part, which " + target + " needs",
            "store the missing part with 'alter secrets rotate', or mark the header optional");
      }
    }
    String value = PartPlaceholders.fill(template, payload.parts());
    for (int k = 0; k < value.length(); k++) {
      char ch = value.charAt(k);
      if (ch == '\r' || ch == '\n' || ch == 0 || ch > 0xff) {
        // would split or corrupt the header block; never send a half-formed credential header
        throw invalid(
            grant,
            "the credential for " + target + " contains characters not allowed in a header",
            "rotate the secret to a value without line breaks or non-Latin-1 characters");
      }
    }
    return value;
  }

  private static String requirePart(
      String grant, CredentialPayload payload, String part, String target)
      throws AlterCredentialException {
    String value = payload.part(part);
    if (value == null) {
      throw invalid(
          grant,
          "the secret stores no '" + part + "' part, which " + target + " needs",
          "store the credential with 'alter secrets rotate'");
    }
    return value;
  }

  /** RFC 9110 token characters: what a header name may consist of. */
  private static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  private static AlterCredentialException invalid(String grant, String detail, String fix) {
    return new AlterCredentialException(ErrorCode.VALIDATION_FAILED.code(), grant, detail, fix);
  }
}
