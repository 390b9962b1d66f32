package dev.alter.cli;

import dev.alter.cli.input.Terminal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI in process exactly as {@code main} would, with a chosen environment, stdin and
 * terminal, and captures stdout, stderr and the exit code.
 */
public final class CliRun {
  private final Map<String, String> env = new HashMap<>();
  private byte[] stdin = new byte[0];
  private Terminal terminal = FakeTerminal.notATerminal();

  public static CliRun cli() {
    return new CliRun();
  }

  public CliRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public CliRun stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  public CliRun terminal(Terminal terminal) {
    this.terminal = terminal;
    return this;
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            Map.copyOf(env),
            new ByteArrayInputStream(stdin),
            terminal,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    int exitCode = AlterCli.run(context, args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  /** What one invocation printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** A scripted terminal: whether stdin is one, and what the operator types at the prompt. */
  public static final class FakeTerminal implements Terminal {
    private final boolean isTerminal;
    private final boolean canPrompt;
    private final String typed;
    public String lastPrompt;

    private FakeTerminal(boolean isTerminal, boolean canPrompt, String typed) {
      this.isTerminal = isTerminal;
      this.canPrompt = canPrompt;
      this.typed = typed;
    }

    public static FakeTerminal notATerminal() {
      return new FakeTerminal(false, false, null);
    }

    public static FakeTerminal typing(String typed) {
      return new FakeTerminal(true, true, typed);
    }

    public static FakeTerminal withoutConsole() {
      return new FakeTerminal(true, false, null);
    }

    @Override
    public boolean stdinIsTerminal() {
      return isTerminal;
    }

    @Override
    public boolean canPromptHidden() {
      return canPrompt;
    }

    @Override
    public char[] readHidden(String prompt) {
      lastPrompt = prompt;
      return typed == null ? null : typed.toCharArray();
    }
  }
}
