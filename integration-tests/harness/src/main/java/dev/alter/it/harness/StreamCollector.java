package dev.alter.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Drains a child process stream on its own thread, keeping all text and a queue of lines. */
final class StreamCollector {
  private final StringBuffer text = new StringBuffer();
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread thread;

  StreamCollector(InputStream stream, String name) {
    thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  text.append(line).append('\n');
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process went away; what was read is kept
              }
            },
            "child-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** All text, once the stream ended (or what there is after {@code wait}). */
  String text(Duration wait) {
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString();
  }

  /** True once the stream ended and every line was taken. */
  boolean isDrained() {
    return !thread.isAlive() && lines.isEmpty();
  }

  String textSoFar() {
    return text.toString();
  }

  /** The next line, or null after the timeout. */
  String nextLine(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
