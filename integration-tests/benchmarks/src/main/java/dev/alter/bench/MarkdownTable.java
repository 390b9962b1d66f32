package dev.alter.bench;

import java.util.ArrayList;
import java.util.List;

/** A GitHub-flavoured Markdown table. */
final class MarkdownTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  MarkdownTable(String... headers) {
    this.headers = List.of(headers);
  }

  MarkdownTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  int rowCount() {
    return rows.size();
  }

  String render() {
    StringBuilder out = new StringBuilder();
    line(out, headers);
    out.append('|');
    headers.forEach(h -> out.append("---|"));
    out.append('\n');
    rows.forEach(row -> line(out, row));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append('|');
    for (String cell : cells) {
      out.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    out.append('\n');
  }
}
