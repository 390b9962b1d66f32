package dev.alter.cli;

import dev.alter.cli.output.Redactor;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into {@code error: <code>: <detail>} (plus a {@code hint:} line) on stderr
 * and an exit code. Never prints a stack trace, and never echoes what looks like a credential typed
 * as an argument.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final Redactor redactor;

  ErrorReporter(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (e instanceof CliFailure failure) {
      print(err, failure.code(), failure.detail(), failure.hint());
      return failure.exitCode();
    }
    print(
        err,
        "internal_error",
        "unexpected "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()),
        "this is a bug in the CLI; please report it with the command you ran (without values)");
    return ExitCodes.UNEXPECTED;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String helpHint = "see '" + cmd.getCommandSpec().qualifiedName() + " --help'";
    if (e instanceof UnmatchedArgumentException unmatched && triesCredentialArgument(unmatched)) {
      print(
          err,
          "usage",
          "credentials are not accepted as arguments (they would end up in shell"
              + " history and the process list)",
          "pipe the credential on stdin, use"
              + " --credential-file FILE or --part-file NAME=FILE, or run in a terminal to be prompted");
      return ExitCodes.USAGE;
    }
    print(err, "usage", e.getMessage(), helpHint);
    return ExitCodes.USAGE;
  }

  private static boolean triesCredentialArgument(UnmatchedArgumentException e) {
    List<String> unmatched = e.getUnmatched();
    return unmatched.stream()
        .anyMatch(
            arg ->
                arg.startsWith("--credential")
                    || arg.startsWith("--part=")
                    || arg.equals("--part")
                    || arg.startsWith("--key")
                    || arg.startsWith("--password")
                    || arg.startsWith("--token")
                    || arg.startsWith("--api-key")
                    || arg.startsWith("--secret="));
  }

  private void print(PrintWriter err, String code, String detail, String hint) {
    err.println(redactor.redact("error: " + code + ": " + detail));
    if (hint != null) {
      err.println(redactor.redact("hint: " + hint));
    }
    err.flush();
  }
}
