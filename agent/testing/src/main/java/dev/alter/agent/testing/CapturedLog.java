package dev.alter.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything a client library logs through {@code java.util.logging} under one logger, at the most
 * verbose level, so a test can prove the credential is in none of it. Each line is the logger's
 * name, a space and the formatted message (parameters filled in, as a console handler prints them).
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final List<String> lines = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          synchronized (lines) {
            lines.add(record.getLoggerName() + " " + formatter.formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(Logger logger) {
    this.logger = logger;
    this.previousLevel = logger.getLevel();
    handler.setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts capturing {@code loggerName} and its children at {@link Level#ALL}. */
  public static CapturedLog of(String loggerName) {
    return new CapturedLog(Logger.getLogger(loggerName));
  }

  /** The lines captured so far. */
  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** The lines captured so far, one per line. */
  public String text() {
    return String.join("\n", lines());
  }

  public void clear() {
    synchronized (lines) {
      lines.clear();
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }
}
