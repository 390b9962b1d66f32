package dev.alter.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.Problem;

/**
 * The service's one JSON configuration: snake_case names, strict reading (unknown fields, trailing
 * tokens and type coercions such as {@code 5} for a string or {@code "true"} for a boolean are
 * errors), and no source snippets in parser errors (they could echo a credential).
 */
public final class JsonCodec {
  private static final ObjectMapper MAPPER = build();

  private JsonCodec() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private abstract static class OmitNulls {}

  private static ObjectMapper build() {
    JsonMapper mapper =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .addMixIn(InjectionSpec.class, OmitNulls.class)
            .addMixIn(InjectionSpec.HeaderTemplate.class, OmitNulls.class)
            .addMixIn(Problem.class, OmitNulls.class)
            .build();
    for (LogicalType target :
        new LogicalType[] {
          LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
        }) {
      mapper
          .coercionConfigFor(target)
          .setCoercion(
              CoercionInputShape.Integer,
              target == LogicalType.Integer || target == LogicalType.Float
                  ? CoercionAction.TryConvert
                  : CoercionAction.Fail)
          .setCoercion(
              CoercionInputShape.Float,
              target == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(
              CoercionInputShape.Boolean,
              target == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(
              CoercionInputShape.String,
              target == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
          .setCoercion(
              CoercionInputShape.EmptyString,
              target == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
    }
    return mapper;
  }
}
