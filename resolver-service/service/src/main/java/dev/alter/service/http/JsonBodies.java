package dev.alter.service.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.alter.contract.ErrorCode;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads request bodies: at most the configured size (else payload_too_large), strict JSON
 * (else validation_failed naming the field). Error details never quote the body, since it may
 * hold a credential.
 */
final class JsonBodies {
  /** One reader per request type, built once: readValue on the mapper resolves the type per call. */
  private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return JsonCodec.mapper().readerFor(type);
    }
  };

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
      value = READERS.get(type).readValue(body);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e, true);
      // Field names are echoed only when they look like field names: a misplaced value stays out.
      throw ApiException.invalid(path.matches("[A-Za-z0-9_.\\[\\]]{1,64}") ? "unknown field '" + path + "'"
          : "the body has an unknown field");
    } catch (JsonParseException e) {
      throw ApiException.invalid("malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    } catch (JsonMappingException e) {
      String path = path(e, false);
      throw ApiException.invalid(path.isEmpty() ? "the body must be a JSON object"
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
    return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** JSON path of the failing field, e.g. {@code destination.url} or {@code destinations[2]}. */
  private static String path(JsonMappingException e, boolean includeLast) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
