package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.alter.contract.ErrorCode;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads request bodies: at most the configured size (else payload_too_large), strict JSON (else
 * validation_failed naming the field). Error details never quote the body, since it may hold a
 * credential.
 */
final class JsonBodies {
  /**
   * One reader per request type, built once: readValue on the mapper resolves the type per call.
   */
  private static final ObjectMapper REQUESTS =
      JsonCodec.mapper().copy().registerModule(StoredText.module());

  private static final ClassValue<ObjectReader> READERS =
      new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
          return REQUESTS.readerFor(type);
        }
      };

  /**
   * A map key in a path is the caller's text: shown only when it could be a name (a credential
   * part's, say).
   */
  private static final Pattern NAME_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private static final String BODY = "alter.body";

  private final long maxBytes;

  JsonBodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  <T> T read(Context ctx, Class<T> type) {
    byte[] body = bytes(ctx);
    if (body.length == 0 || isBlank(body)) {
      body = "{}".getBytes();
    }
    T value;
    try {
      requireUtf8(body);
      value = READERS.get(type).readValue(body);
    } catch (UnrecognizedPropertyException e) {
      // The unknown name is the caller's text (a misplaced credential, say): name where it is and
      // what is known.
      String parent = path(e.getPath().subList(0, Math.max(0, e.getPath().size() - 1)));
      throw ApiException.invalid(
          (parent.isEmpty() ? "the body" : "field '" + parent + "'")
              + " has a field this endpoint does not take; known fields: "
              + String.join(", ", knownFields(e)));
    } catch (StoredText.Refused e) {
      throw ApiException.invalid(
          "field '"
              + path(e.getPath())
              + "' contains a character that is not accepted "
              + "(a C1 control character, U+2028, U+2029 or an unpaired surrogate)");
    } catch (JsonParseException e) {
      throw ApiException.invalid(
          "malformed JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    } catch (JsonMappingException e) {
      String path = path(e.getPath());
      throw ApiException.invalid(
          path.isEmpty()
              ? "the body must be a JSON object"
              : "field '" + path + "' is missing a value or has the wrong type");
    } catch (JsonProcessingException e) {
      throw ApiException.invalid("the body is not valid JSON");
    } catch (IOException e) {
      throw ApiException.invalid("the body could not be read");
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    if (value == null) {
      throw ApiException.invalid("the body must be a JSON object");
    }
    return value;
  }

  /**
   * The body's bytes, read once (at most the configured size) and kept for the request: the
   * signature check reads them before the route does.
   */
  byte[] bytes(Context ctx) {
    byte[] kept = ctx.attribute(BODY);
    if (kept == null) {
      kept = readLimited(ctx);
      ctx.attribute(BODY, kept);
    }
    return kept;
  }

  /** The stream stays open: the container owns it, and UnreadBodyDrain may still read the rest. */
  private byte[] readLimited(Context ctx) {
    if (ctx.req().getContentLengthLong() > maxBytes) {
      throw tooLarge();
    }
    byte[] data;
    try {
      data = ctx.req().getInputStream().readNBytes((int) maxBytes + 1);
    } catch (IOException e) {
      throw ApiException.invalid("the body could not be read");
    }
    if (data.length > maxBytes) {
      Arrays.fill(data, (byte) 0);
      throw tooLarge();
    }
    return data;
  }

  private ApiException tooLarge() {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses bytes that are not well-formed UTF-8 (overlong forms, encoded surrogates, truncated
   * sequences): a lenient decoder would store something other than what was sent.
   */
  private static void requireUtf8(byte[] body) {
    CharBuffer decoded = null;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw ApiException.invalid("the body is not well-formed UTF-8");
    } finally {
      if (decoded != null) {
        Arrays.fill(decoded.array(), '\0');
      }
    }
  }

  private static List<String> knownFields(UnrecognizedPropertyException e) {
    return e.getKnownPropertyIds() == null
        ? List.of()
        : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
  }

  /** JSON path of the failing field, e.g. {@code destination.url} or {@code destinations[2]}. */
  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        boolean mapKey = ref.getFrom() instanceof Map;
        sb.append(
            !mapKey || NAME_KEY.matcher(ref.getFieldName()).matches()
                ? ref.getFieldName()
                : "{key}");
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
