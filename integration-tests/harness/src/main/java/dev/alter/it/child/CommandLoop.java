package dev.alter.it.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The stdin side of a scripted child app: one command per line, {@code <command> <arguments>}, each
 * answered with exactly one {@link ChildReport} on stdout (the test waits for it), an {@code error}
 * report if the command threw and {@code unknown_command} for a name not registered. Returns when
 * the test closes stdin.
 */
public final class CommandLoop {
  /** One command: its arguments (the line after the command's name) in, its report out. */
  public interface Command {
    ChildReport run(String arguments) throws Exception;
  }

  private final Map<String, Command> commands = new HashMap<>();

  public static CommandLoop create() {
    return new CommandLoop();
  }

  public CommandLoop on(String name, Command command) {
    commands.put(name, command);
    return this;
  }

  /** {@code <word> <rest>} split at the first space, for commands with a leading argument. */
  public static String[] firstWordAndRest(String arguments) {
    int space = arguments.indexOf(' ');
    return new String[] {arguments.substring(0, space), arguments.substring(space + 1)};
  }

  public void run() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      int space = line.indexOf(' ');
      String name = space < 0 ? line : line.substring(0, space);
      Command command = commands.get(name);
      if (command == null) {
        ChildReport.create().put("unknown_command", name).print();
        continue;
      }
      try {
        command.run(space < 0 ? "" : line.substring(space + 1)).print();
      } catch (Exception e) {
        ChildReport.create().error(e).print();
      }
    }
  }
}
