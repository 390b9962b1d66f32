package dev.alter.cli.command;

import static dev.alter.cli.http.AdminApiClient.path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.cli.AdminCommand;
import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import dev.alter.cli.Session;
import dev.alter.cli.http.ApiResponse;
import dev.alter.cli.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code alter audit export}: the audit trail as NDJSON in commit order, resumable.
 *
 * <p>With {@code --output FILE} the file is its own cursor: each line is appended whole and
 * flushed, and a restart resumes after the last complete line (a line torn by a crash is cut away),
 * so a collector killed at any point and started again writes every event exactly once.
 */
@Command(
    name = "export",
    description =
        "Export the audit trail as NDJSON in commit order; each line carries the cursor that"
            + " resumes after it.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  alter audit export --follow --output audit.ndjson   (resumes where the file ends)",
      "  alter audit export --after 1842 > since-1842.ndjson"
    })
public final class AuditExportCommand extends AdminCommand {
  private static final int WAIT_SECONDS = 20;

  @Option(
      names = "--after",
      paramLabel = "CURSOR",
      description = "Start after this cursor (default: the start, or where --output ends).")
  String after;

  @Option(
      names = "--follow",
      description = "Keep waiting for new events instead of stopping at the end.")
  boolean follow;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Append to FILE and resume after its last line.")
  Path output;

  @Option(names = "--limit", paramLabel = "N", description = "Events per request (1-1000).")
  Integer limit;

  @Override
  protected void run(Session session) {
    String cursor = after;
    try (Sink sink = output == null ? new StdoutSink(session) : FileSink.open(output)) {
      if (cursor == null) {
        cursor = sink.lastCursor();
      }
      while (true) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("after", cursor == null ? "0" : cursor);
        query.put("limit", limit == null ? null : limit.toString());
        query.put("wait", follow ? Integer.toString(WAIT_SECONDS) : null);
        ApiResponse page = session.api().get(path("audit", "export"), query);
        int lines = 0;
        for (String line : page.body().split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode event = Json.MAPPER.readTree(line);
          sink.write(line);
          cursor = event.path("cursor").asText();
          lines++;
        }
        if (lines == 0 && !follow) {
          return;
        }
      }
    } catch (IOException e) {
      throw new CliFailure(
          "io_error", ExitCodes.UNEXPECTED, "cannot write the export: " + e.getMessage(), null);
    }
  }

  private interface Sink extends AutoCloseable {
    String lastCursor() throws IOException;

    void write(String line) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class StdoutSink implements Sink {
    private final Session session;

    StdoutSink(Session session) {
      this.session = session;
    }

    @Override
    public String lastCursor() {
      return null;
    }

    @Override
    public void write(String line) {
      session.out().line(line);
    }

    @Override
    public void close() {}
  }

  private static final class FileSink implements Sink {
    private final OutputStream out;
    private final String lastCursor;

    private FileSink(OutputStream out, String lastCursor) {
      this.out = out;
      this.lastCursor = lastCursor;
    }

    static FileSink open(Path file) throws IOException {
      String last = null;
      if (Files.exists(file)) {
        last = truncateToLastCompleteLine(file);
      }
      OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return new FileSink(out, last);
    }

    /** Cuts a torn last line and answers the cursor of the last complete one (null: none). */
    private static String truncateToLastCompleteLine(Path file) throws IOException {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        long end = raf.length();
        long pos = end - 1;
        while (pos >= 0) {
          raf.seek(pos);
          if (raf.read() == '\n') {
            break;
          }
          pos--;
        }
        raf.setLength(pos + 1); // drops whatever follows the last newline
        if (pos < 0) {
          return null;
        }
        long start = pos - 1;
        while (start >= 0) {
          raf.seek(start);
          if (raf.read() == '\n') {
            break;
          }
          start--;
        }
        byte[] line = new byte[(int) (pos - start - 1)];
        raf.seek(start + 1);
        raf.readFully(line);
        JsonNode last = Json.MAPPER.readTree(new String(line, StandardCharsets.UTF_8));
        String cursor = last.path("cursor").asText(null);
        if (cursor == null) {
          throw new IOException(file + " does not end with an export line (no cursor)");
        }
        return cursor;
      }
    }

    @Override
    public String lastCursor() {
      return lastCursor;
    }

    @Override
    public void write(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
