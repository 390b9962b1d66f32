package dev.alter.service.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.alter.service.JsonCodec;
import dev.alter.service.app.ApiException;
import dev.alter.service.app.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the policy an operator typed into a grant form: the JSON object of API.md's "Grant
 * policies", or nothing for no policy. Errors say where the text is wrong without quoting it (an
 * operator may have pasted a credential into the wrong field).
 */
final class PolicyForm {
  static final int MAX_CHARS = 65_536;

  private static final Requests.Policy NONE =
      new Requests.Policy(null, null, null, null, null, null, null);

  private PolicyForm() {}

  /** The policy typed, or an empty one (which removes a grant's policy) for blank text. */
  static Requests.Policy read(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    if (text.length() > MAX_CHARS) {
      throw ApiException.invalid("The policy is longer than " + MAX_CHARS + " characters.");
    }
    JsonNode tree;
    try {
      tree = JsonCodec.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.invalid(
          "The policy is not a JSON object (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "); write it as in the examples below the form, such as"
              + " {\"requests\": [\"GET /repos/*/*\"]}.");
    }
    if (!tree.isObject()) {
      throw ApiException.invalid(
          "The policy is a JSON object, such as {\"requests\": [\"GET /repos/*/*\"]}.");
    }
    try {
      return JsonCodec.mapper().treeToValue(tree, Requests.Policy.class);
    } catch (UnrecognizedPropertyException e) {
      String where = path(e.getPath().subList(0, e.getPath().size() - 1));
      List<String> known = new ArrayList<>();
      for (Object id : new TreeSet<>(e.getKnownPropertyIds())) {
        known.add(id.toString());
      }
      throw ApiException.invalid(
          where
              + " has a field the policy format does not take; known fields: "
              + String.join(", ", known)
              + ".");
    } catch (JsonProcessingException e) {
      throw ApiException.invalid(
          path(e instanceof JsonMappingException m ? m.getPath() : List.of())
              + " has the wrong kind of value (a list, number or text where the format wants"
              + " another; see the examples below the form).");
    }
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder sb = new StringBuilder("policy");
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
