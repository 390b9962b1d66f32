package dev.alter.agent.resolver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.Problem;
import dev.alter.contract.ResolveRequest;
import dev.alter.contract.ResolveResponse;
import dev.alter.contract.SealedBox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolve API's JSON (snake_case, see {@code resolver-service/API.md}) with Jackson's streaming
 * parser: the agent ships jackson-core only, which keeps the agent jar small. Unknown fields are
 * skipped (forward compatibility, as {@code WireFormat} says for the agent side).
 */
final class ResolveJson {
  private final JsonFactory factory = new JsonFactory();

  byte[] write(ResolveRequest request) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("grant", request.getGrant());
      if (request.getIdentity() != null) {
        g.writeStringField("identity", request.getIdentity());
      }
      g.writeObjectFieldStart("destination");
      g.writeStringField("method", request.getDestination().getMethod());
      g.writeStringField("url", request.getDestination().getUrl());
      g.writeEndObject();
      g.writeStringField("public_key", request.getPublicKey());
      if (request.getSigningDate() != null) {
        g.writeStringField("signing_date", request.getSigningDate());
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** {@code POST /v1/policy-refusals}: refusals counted since the last report. */
  byte[] writeRefusals(java.util.List<dev.alter.agent.policy.PolicyRefusals.Drained> refusals)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("refusals");
      for (dev.alter.agent.policy.PolicyRefusals.Drained d : refusals) {
        g.writeStartObject();
        g.writeStringField("grant_id", d.grantId);
        g.writeStringField("rule", d.rule);
        g.writeNumberField("refused", d.refused);
        g.writeStringField("since", java.time.Instant.ofEpochMilli(d.firstAtMillis).toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  ResolveResponse readResolveResponse(byte[] json) throws IOException {
    try (JsonParser p = factory.createParser(json)) {
      expect(p, JsonToken.START_OBJECT);
      ResolveResponse r = new ResolveResponse();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "grant_id":
            r.setGrantId(text(p));
            break;
          case "secret_id":
            r.setSecretId(text(p));
            break;
          case "provider":
            r.setProvider(text(p));
            break;
          case "credential_version":
            r.setCredentialVersion(p.getValueAsLong());
            break;
          case "ttl_seconds":
            r.setTtlSeconds(p.getValueAsInt());
            break;
          case "sealed":
            r.setSealed(value == JsonToken.START_OBJECT ? readSealed(p) : null);
            break;
          case "injection":
            r.setInjection(value == JsonToken.START_OBJECT ? readInjection(p) : null);
            break;
          case "destinations":
            r.setDestinations(value == JsonToken.START_ARRAY ? readStrings(p) : null);
            break;
          case "policy_sealed":
            // anything but a JSON true leaves it false: the box then opens only without a policy
            r.setPolicySealed(value == JsonToken.VALUE_TRUE);
            break;
          default:
            p.skipChildren();
        }
      }
      return r;
    }
  }

  Problem readProblem(byte[] json) throws IOException {
    try (JsonParser p = factory.createParser(json)) {
      expect(p, JsonToken.START_OBJECT);
      Problem problem = new Problem();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "type":
            problem.setType(text(p));
            break;
          case "title":
            problem.setTitle(text(p));
            break;
          case "status":
            problem.setStatus(p.getValueAsInt());
            break;
          case "detail":
            problem.setDetail(text(p));
            break;
          case "code":
            problem.setCode(text(p));
            break;
          case "grant_id":
            problem.setGrantId(text(p));
            break;
          default:
            p.skipChildren();
        }
      }
      return problem;
    }
  }

  private static SealedBox readSealed(JsonParser p) throws IOException {
    SealedBox box = new SealedBox();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "enc":
          box.setEnc(text(p));
          break;
        case "ciphertext":
          box.setCiphertext(text(p));
          break;
        default:
          p.skipChildren();
      }
    }
    return box;
  }

  private static InjectionSpec readInjection(JsonParser p) throws IOException {
    InjectionSpec spec = new InjectionSpec();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type":
          spec.setType(text(p));
          break;
        case "username":
          spec.setUsername(text(p));
          break;
        case "query_param":
          spec.setQueryParam(text(p));
          break;
        case "aws_region":
          spec.setAwsRegion(text(p));
          break;
        case "aws_service":
          spec.setAwsService(text(p));
          break;
        case "headers":
          if (value == JsonToken.START_ARRAY) {
            List<InjectionSpec.HeaderTemplate> headers = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
              headers.add(readHeaderTemplate(p));
            }
            spec.setHeaders(headers);
          }
          break;
        default:
          p.skipChildren();
      }
    }
    return spec;
  }

  private static InjectionSpec.HeaderTemplate readHeaderTemplate(JsonParser p) throws IOException {
    InjectionSpec.HeaderTemplate h = new InjectionSpec.HeaderTemplate();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name":
          h.setName(text(p));
          break;
        case "template":
          h.setTemplate(text(p));
          break;
        case "optional":
          h.setOptional(p.getValueAsBoolean());
          break;
        default:
          p.skipChildren();
      }
    }
    return h;
  }

  private static List<String> readStrings(JsonParser p) throws IOException {
    List<String> values = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        values.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return values;
  }

  private static String text(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getValueAsString();
  }

  private static void expect(JsonParser p, JsonToken token) throws IOException {
    if (p.nextToken() != token) {
      throw new IOException("expected " + token);
    }
  }
}
