package dev.alter.cli;

import dev.alter.cli.input.SystemTerminal;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of {@code alter}; {@link #run} is the same CLI for in-process use and tests. */
public final class AlterCli {
  private AlterCli() {}

  public static void main(String[] args) {
    CliContext context =
        new CliContext(
            System.getenv(),
            System.in,
            new SystemTerminal(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true));
    System.exit(run(context, args));
  }

  /** Parses and runs one command line; returns the exit code (see {@link ExitCodes}). */
  public static int run(CliContext context, String... args) {
    return commandLine(context).execute(args);
  }

  static CommandLine commandLine(CliContext context) {
    AlterCommand root = new AlterCommand(context);
    ErrorReporter errors = new ErrorReporter(root.redactor());
    // "@file" is an option's own value (--policy @support-hours.json), not picocli's argument file
    return new CommandLine(root)
        .setExpandAtFiles(false)
        .setOut(context.out())
        .setErr(context.err())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }
}
