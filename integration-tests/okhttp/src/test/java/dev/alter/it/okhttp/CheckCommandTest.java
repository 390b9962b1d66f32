package dev.alter.it.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.Artifacts;
import dev.alter.it.harness.JavaRuntime;
import dev.alter.it.harness.RewrittenJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar alter-agent.jar check}, run as a user runs it on the real agent jar: it names
 * the OkHttp it finds, whether the agent covers it and the methods it hooks, and exits 1 for an
 * OkHttp whose codec method the hooks do not fit.
 */
class CheckCommandTest {
  private static final class Outcome {
    final int status;
    final String output;

    Outcome(int status, String output) {
      this.status = status;
      this.output = output;
    }
  }

  private static Outcome check(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(JavaRuntime.JDK_17.javaExecutable().toString());
    command.add("-jar");
    command.add(Artifacts.agentJar().toString());
    command.add("check");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Outcome(process.exitValue(), output);
  }

  private static Path okhttpJar(OkHttpRelease release) {
    return release.jars().stream()
        .filter(j -> j.getFileName().toString().startsWith("okhttp-"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void listsCoveredOkHttpReleasesWithTheMethodsHooked() throws Exception {
    Outcome four = check(okhttpJar(OkHttpRelease.OKHTTP_4).toString());
    assertThat(four.status).as(four.output).isZero();
    assertThat(four.output)
        .contains("OkHttp in okhttp-4.12.0.jar: covered (3.14 to 5.x)")
        .contains("okhttp3.internal.http1.Http1ExchangeCodec.writeRequestHeaders")
        .contains("checked at OkHttpClient.newCall")
        // the JDK's own clients, in the JDK running the command
        .contains("JDK HttpClient (JDK 17")
        .contains("jdk.internal.net.http.Http2Connection.encodeHeadersImpl")
        .contains("checked at HttpClientImpl.send/sendAsync")
        .contains("HttpURLConnection (JDK 17")
        .contains("sun.net.www.http.HttpClient.writeRequests")
        .doesNotContain("NOT covered");

    Outcome legacy = check(okhttpJar(OkHttpRelease.OKHTTP_3_12).toString());
    assertThat(legacy.status).as(legacy.output).isZero();
    assertThat(legacy.output)
        .contains("OkHttp in okhttp-3.12.13.jar: covered (3.5 to 3.13)")
        .contains("okhttp3.internal.http1.Http1Codec.writeRequestHeaders");
  }

  @Test
  void reportsAnOkHttpWhoseCodecTheHooksDoNotFitAndExitsOne() throws Exception {
    Path renamed =
        RewrittenJar.renameMethod(
            okhttpJar(OkHttpRelease.OKHTTP_4),
            Path.of("target", "rewritten", "okhttp-4.12.0-check.jar"),
            Set.of(
                "okhttp3/internal/http/ExchangeCodec",
                "okhttp3/internal/http1/Http1ExchangeCodec",
                "okhttp3/internal/http2/Http2ExchangeCodec"),
            "writeRequestHeaders",
            "(Lokhttp3/Request;)V",
            "writeRequestHead");

    Outcome outcome = check(renamed.toString());

    assertThat(outcome.status).as(outcome.output).isEqualTo(1);
    assertThat(outcome.output)
        .contains("OkHttp in okhttp-4.12.0-check.jar: NOT covered")
        .contains("okhttp3.internal.http1.Http1ExchangeCodec has no method the hook fits")
        .contains("client_not_supported");
  }

  @Test
  void withoutAClassPathPrintsUsageAndExitsTwo() throws Exception {
    Outcome outcome = check();
    assertThat(outcome.status).isEqualTo(2);
    assertThat(outcome.output).contains("usage: java -jar alter-agent.jar check");
  }
}
