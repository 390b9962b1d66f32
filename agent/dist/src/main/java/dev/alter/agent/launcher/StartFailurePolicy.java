package dev.alter.agent.launcher;

import java.util.Locale;

/**
 * What {@code premain} does when the agent cannot start: by default the JVM stops (exit status
 * {@value #EXIT_STATUS}), because an app without the agent's hooks would send requests tagged with
 * {@code alter-grant} unauthenticated. {@code continue} runs the app without the agent, for
 * operators who prefer availability. Read here, before the agent's own configuration code, which is
 * exactly what may have failed to load: agent argument {@code on_start_failure}, then system
 * property {@code alter.on.start.failure}, then environment {@code ALTER_ON_START_FAILURE}.
 */
final class StartFailurePolicy {
  static final int EXIT_STATUS = 78;
  private static final String ARGUMENT = "on_start_failure";

  private StartFailurePolicy() {}

  static boolean continues(String agentArgs) {
    String value = argument(agentArgs);
    if (value == null) {
      value = System.getProperty("alter.on.start.failure");
    }
    if (value == null) {
      value = System.getenv("ALTER_ON_START_FAILURE");
    }
    // anything but an explicit "continue" (a typo included) keeps the safe default
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("continue");
  }

  private static String argument(String agentArgs) {
    if (agentArgs == null) {
      return null;
    }
    for (String pair : agentArgs.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(ARGUMENT)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }
}
