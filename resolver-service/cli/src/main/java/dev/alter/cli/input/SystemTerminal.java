package dev.alter.cli.input;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real terminal. On JDK 17 {@link System#console()} is null unless stdin and stdout are both
 * terminals; from JDK 22 it may exist for redirected streams too, so {@code Console.isTerminal()}
 * is consulted when present. On Linux {@code /proc/self/fd/0} also tells whether stdin is a
 * terminal when stdout is redirected: then we refuse to read a credential with echo.
 */
public final class SystemTerminal implements Terminal {

  @Override
  public boolean stdinIsTerminal() {
    return interactiveConsole() != null || stdinLinksToTty();
  }

  @Override
  public boolean canPromptHidden() {
    return interactiveConsole() != null;
  }

  @Override
  public char[] readHidden(String prompt) {
    Console console = interactiveConsole();
    if (console == null) {
      return null;
    }
    return console.readPassword("%s", prompt);
  }

  private static Console interactiveConsole() {
    Console console = System.console();
    if (console == null) {
      return null;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
    } catch (NoSuchMethodException e) {
      return console; // JDK < 22: a console exists only for a real terminal
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static boolean stdinLinksToTty() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
