package dev.alter.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A grant policy given on the command line: a JSON object, or {@code @file} holding one. */
final class PolicyText {
  private PolicyText() {}

  static JsonNode read(CommandLine cmd, String option, String value) {
    String text = value;
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new ParameterException(cmd, option + ": cannot read " + file);
      }
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new ParameterException(
          cmd,
          option
              + " is not valid JSON (expected an object such as {\"requests\": [\"GET /v1/**\"]})");
    }
    if (node == null || !node.isObject()) {
      throw new ParameterException(cmd, option + " must be a JSON object");
    }
    return node;
  }
}
