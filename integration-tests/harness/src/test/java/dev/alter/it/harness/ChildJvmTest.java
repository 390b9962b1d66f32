package dev.alter.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.child.ChildReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
  /** A child app: reports its arguments, a system property and an env variable. */
  public static final class ReportingApp {
    public static void main(String[] args) throws Exception {
      if (args.length > 0 && args[0].equals("loop")) {
        java.io.BufferedReader in =
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
          ChildReport.create().put("echo", line).print();
        }
        return;
      }
      ChildReport.create()
          .put("args", java.util.List.of(args))
          .put("property", System.getProperty("it.property"))
          .put("env", System.getenv("ALTER_RESOLVER_URL"))
          .put("java_version", Runtime.version().feature())
          .put("quote", "a \"quoted\"\nline")
          .print();
    }
  }

  @Test
  void runsAnAppAndReadsItsReport() {
    JsonNode report =
        ChildJvm.create()
            .main(ReportingApp.class, "one", "two")
            .classpathOf(ChildReport.class)
            .systemProperty("it.property", "value")
            .env("ALTER_RESOLVER_URL", "http://127.0.0.1:1")
            .run()
            .report();
    assertThat(report.path("args").toString()).isEqualTo("[\"one\",\"two\"]");
    assertThat(report.path("property").asText()).isEqualTo("value");
    assertThat(report.path("env").asText()).isEqualTo("http://127.0.0.1:1");
    assertThat(report.path("quote").asText()).isEqualTo("a \"quoted\"\nline");
    assertThat(report.path("java_version").asInt()).isEqualTo(17);
  }

  @Test
  void runsOnJdk25() {
    JsonNode report =
        ChildJvm.create()
            .runtime(JavaRuntime.JDK_25)
            .main(ReportingApp.class)
            .classpathOf(ChildReport.class)
            .run()
            .report();
    assertThat(report.path("java_version").asInt()).isEqualTo(25);
  }

  @Test
  void talksToALongRunningApp() {
    try (RunningChild child =
        ChildJvm.create().main(ReportingApp.class, "loop").classpathOf(ChildReport.class).start()) {
      assertThat(child.ask("first", Duration.ofSeconds(20)).path("echo").asText())
          .isEqualTo("first");
      assertThat(child.ask("second").path("echo").asText()).isEqualTo("second");
    }
  }
}
