package dev.alter.agent.config;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The agent's own logger: a {@code java.util.logging} logger with its own stderr handler that never
 * hands records to the root logger, so the application's logging set-up neither sees nor reformats
 * the agent's lines. Messages never contain credentials or tokens.
 *
 * <p>Setting up {@code java.util.logging} costs tens of milliseconds, so start-up does not: it
 * writes its lines with {@link #print}, in the same format, and the logger is set up on the first
 * {@link #logger()} call. Code that takes {@code Logger.getLogger(LOGGER_NAME)} directly must run
 * after that call; the deferred injector and the Byte Buddy installer make it before anything that
 * logs is loaded.
 */
public final class AgentLog {
  public static final String LOGGER_NAME = "dev.alter.agent";

  /** The stream the JVM had as stderr when the agent started. */
  private static final PrintStream STDERR = System.err;

  private static volatile Level level = Level.INFO;
  private static Logger julLogger;

  private AgentLog() {}

  /** The agent's logger, set up on first use with the level given to {@link #setLevel}. */
  public static synchronized Logger logger() {
    if (julLogger == null) {
      Logger logger = Logger.getLogger(LOGGER_NAME);
      logger.setUseParentHandlers(false);
      logger.setLevel(level);
      logger.addHandler(new StderrHandler(STDERR));
      julLogger = logger;
    }
    return julLogger;
  }

  public static synchronized void setLevel(Level newLevel) {
    level = newLevel;
    if (julLogger != null) {
      julLogger.setLevel(newLevel);
    }
  }

  /** As {@link Logger#isLoggable} for the agent's logger. */
  public static boolean isLoggable(Level messageLevel) {
    Level current = level;
    return current != Level.OFF && messageLevel.intValue() >= current.intValue();
  }

  /**
   * Writes one line to stderr, as the logger would, without setting {@code java.util.logging} up.
   */
  public static void print(Level messageLevel, String message) {
    if (isLoggable(messageLevel)) {
      STDERR.print(line(System.currentTimeMillis(), messageLevel, message, null));
      STDERR.flush();
    }
  }

  /**
   * {@code 2026-11-28T23:49:11.163Z [alter-agent] INFO message}, and the type only of a throwable.
   */
  static String line(long epochMillis, Level messageLevel, String message, Throwable thrown) {
    StringBuilder sb = new StringBuilder(128);
    appendUtc(sb, epochMillis);
    sb.append(" [alter-agent] ").append(messageLevel.getName()).append(' ').append(message);
    if (thrown != null) {
      // type only: exception messages of third-party code could echo request data
      sb.append(" (").append(thrown.getClass().getName()).append(')');
    }
    return sb.append(System.lineSeparator()).toString();
  }

  /**
   * ISO-8601 UTC with milliseconds, by arithmetic: java.time's formatters cost milliseconds to set
   * up.
   */
  static void appendUtc(StringBuilder sb, long epochMillis) {
    long seconds = Math.floorDiv(epochMillis, 1000L);
    int millis = (int) Math.floorMod(epochMillis, 1000L);
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days)
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097L);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    pad(sb, year, 4).append('-');
    pad(sb, month, 2).append('-');
    pad(sb, day, 2).append('T');
    pad(sb, secondOfDay / 3600, 2).append(':');
    pad(sb, secondOfDay / 60 % 60, 2).append(':');
    pad(sb, secondOfDay % 60, 2).append('.');
    pad(sb, millis, 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder sb, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits);
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
      return line(record.getMillis(), record.getLevel(), formatMessage(record), record.getThrown());
    }
  }
}
