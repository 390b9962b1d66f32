package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.alter.contract.StorableText;
import java.io.IOException;

/**
 * Refuses, as JSON is read, any string field of a request body that {@link StorableText} does not
 * accept, so every text field of every body is covered.
 */
final class StoredText {
  private StoredText() {}

  /** Thrown for a refused string; Jackson adds the field's path as it unwinds. */
  static final class Refused extends JsonMappingException {
    Refused(JsonParser parser) {
      super(parser, "refused character");
    }
  }

  static SimpleModule module() {
    return new SimpleModule("stored-text")
        .addDeserializer(
            String.class,
            new StringDeserializer() {
              @Override
              public String deserialize(JsonParser p, DeserializationContext ctxt)
                  throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && !StorableText.isStorable(value)) {
                  throw new Refused(p);
                }
                return value;
              }
            });
  }
}
