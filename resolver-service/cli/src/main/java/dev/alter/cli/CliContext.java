package dev.alter.cli;

import dev.alter.cli.input.Terminal;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Everything the CLI reads from or writes to its surroundings, so that tests can run it in process
 * with their own environment, stdin and terminal.
 */
public record CliContext(
    Map<String, String> env,
    InputStream stdin,
    Terminal terminal,
    PrintWriter out,
    PrintWriter err) {

  public String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
