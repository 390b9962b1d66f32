package dev.alter.agent.config;

import java.io.PrintStream;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The agent's own logger: a {@code java.util.logging} logger with its own stderr handler that
 * never hands records to the root logger, so the application's logging set-up neither sees nor
 * reformats the agent's lines. Messages never contain credentials or tokens.
 */
public final class AgentLog {
  public static final String LOGGER_NAME = "dev.alter.agent";

  private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);

  static {
    LOGGER.setUseParentHandlers(false);
    LOGGER.setLevel(Level.INFO);
    LOGGER.addHandler(new StderrHandler(System.err));
  }

  private AgentLog() {}

  public static Logger logger() {
    return LOGGER;
  }

  public static void setLevel(Level level) {
    LOGGER.setLevel(level);
  }

  /** Writes one line per record to the stream the JVM had as stderr when the agent started. */
  static final class StderrHandler extends Handler {
    private final PrintStream out;

    StderrHandler(PrintStream out) {
      this.out = out;
      setLevel(Level.ALL);
      setFormatter(new LineFormatter());
    }

    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        out.print(getFormatter().format(record));
        out.flush();
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }

  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder sb = new StringBuilder(128)
          .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
          .append("[alter-agent] ").append(record.getLevel().getName()).append(' ')
          .append(formatMessage(record));
      if (record.getThrown() != null) {
        // type only: exception messages of third-party code could echo request data
        sb.append(" (").append(record.getThrown().getClass().getName()).append(')');
      }
      return sb.append(System.lineSeparator()).toString();
    }
  }
}
