package dev.alter.it.awssdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A readable table of how the SDK framed each request body (x-amz-content-sha256, Content-Encoding,
 * x-amz-trailer, …) per client, checksum setting and call, as the app's own interceptor saw it,
 * written to {@code target/aws-sdk-payload-modes.txt} for the record (with what reached the server
 * over plain HTTP, from {@code AgentSignsUnchangedSdkTest}).
 */
final class PayloadModes {
  private static final Path FILE = Path.of("target", "aws-sdk-payload-modes.txt");
  private static final List<String> COLUMNS =
      List.of(
          "x-amz-content-sha256",
          "content-encoding",
          "x-amz-trailer",
          "x-amz-decoded-content-length",
          "transfer-encoding",
          "content-length",
          "x-amz-sdk-checksum-algorithm",
          "content-md5");

  private static boolean startedThisRun;

  private PayloadModes() {}

  static void record(String client, ScenarioOutcome outcome, List<String> runs) {
    List<String> lines = new ArrayList<>();
    for (String run : runs) {
      for (JsonNode step : outcome.steps(run)) {
        for (JsonNode request : step.path("requests")) {
          StringBuilder line =
              new StringBuilder(client)
                  .append(' ')
                  .append(run)
                  .append(' ')
                  .append(step.path("as").asText())
                  .append(' ')
                  .append(step.path("step").asText())
                  .append(' ')
                  .append(request.path("method").asText())
                  .append(' ')
                  .append(request.path("protocol").asText());
          for (String column : COLUMNS) {
            JsonNode value = request.path(column);
            if (!value.isNull() && !value.isMissingNode()) {
              line.append(" | ").append(column).append(": ").append(value.asText());
            }
          }
          line.append(" | x-amz-* headers: ").append(request.path("x_amz_headers"));
          line.append(" | authorization_seen: ")
              .append(request.path("authorization_seen").asBoolean());
          line.append(" | ok: ").append(step.path("ok").asBoolean());
          lines.add(line.toString());
        }
      }
    }
    append(lines);
  }

  /** Appends lines to the file, which each test JVM starts afresh. */
  static synchronized void append(List<String> lines) {
    try {
      Files.createDirectories(FILE.getParent());
      if (!startedThisRun) {
        Files.deleteIfExists(FILE);
        startedThisRun = true;
      }
      Files.write(FILE, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
