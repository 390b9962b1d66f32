package dev.alter.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A successful admin API answer: its status, the JSON text as received, and that text parsed. */
public record ApiResponse(int status, String body) {

  /** The body parsed; a missing node for an empty body (204). */
  public JsonNode json() {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the service answered " + status + " with a body that is" + " not JSON", null);
    }
  }
}
