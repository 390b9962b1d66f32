package dev.alter.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises where a recorded child spent its CPU: the top methods by execution samples (the frame
 * on top of the stack) and, separately, how many samples had an agent frame ({@code
 * dev.alter.agent.}, which includes its shaded Byte Buddy) anywhere on the stack, with the
 * innermost agent frames. Samples from the first SKIP seconds of the recording (JVM start, class
 * loading, warm-up) can be left out; a negative SKIP keeps only the last -SKIP seconds (the
 * measured window). Used for the report's "what the profile shows" note:
 *
 * <pre>java -cp … dev.alter.bench.JfrTopFrames RECORDING.jfr [N] [SKIP]</pre>
 */
public final class JfrTopFrames {
  private JfrTopFrames() {}

  public static void main(String[] args) throws IOException {
    int limit = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    double skipSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    java.time.Instant recordingStart = null;
    Map<String, Integer> topFrames = new HashMap<>();
    Map<String, Integer> agentFrames = new HashMap<>();
    int samples = 0;
    int withAgent = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      if (recordingStart == null) {
        recordingStart = event.getStartTime();
      }
      if (java.time.Duration.between(recordingStart, event.getStartTime()).toMillis()
          < skipSeconds * 1000) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      topFrames.merge(name(frames.get(0)), 1, Integer::sum);
      for (RecordedFrame frame : frames) {
        String name = name(frame);
        if (name.startsWith("dev.alter.agent.")) {
          withAgent++;
          agentFrames.merge(name, 1, Integer::sum);
          break;
        }
      }
    }
    System.out.println(
        samples
            + " execution samples; "
            + withAgent
            + " ("
            + (samples == 0 ? 0 : 100 * withAgent / samples)
            + " %) with an agent frame on the stack");
    System.out.println("top frames (self):");
    print(topFrames, samples, limit);
    System.out.println("innermost agent frame of those samples:");
    print(agentFrames, samples, limit);
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void print(Map<String, Integer> counts, int total, int limit) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(
            e ->
                System.out.printf(
                    "  %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
