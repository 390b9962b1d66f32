package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * Characters no text field of a request may hold: C1 controls (U+0080–U+009F), the line and
 * paragraph separators U+2028/U+2029 (both break header values and log lines where they are
 * used later) and unpaired surrogates (they cannot be encoded, so what is stored would differ
 * from what was sent). Checked as JSON is read, so every string field of every body is covered.
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
    return new SimpleModule("stored-text").addDeserializer(String.class, new StringDeserializer() {
      @Override
      public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String value = super.deserialize(p, ctxt);
        if (value != null && !storable(value)) {
          throw new Refused(p);
        }
        return value;
      }
    });
  }

  static boolean storable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80 && ch <= 0x9f || ch == 0x2028 || ch == 0x2029) {
        return false;
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        return false;
      }
    }
    return true;
  }
}
