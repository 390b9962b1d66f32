package dev.alter.cli.input;

/** The operator's terminal, used only to prompt for a credential without echoing it. */
public interface Terminal {
  /** True when stdin is an interactive terminal (then a credential is prompted for, not read). */
  boolean stdinIsTerminal();

  /** True when a hidden prompt is possible (a console is attached). */
  boolean canPromptHidden();

  /** Prompts on the terminal and reads a line without echo. */
  char[] readHidden(String prompt);
}
