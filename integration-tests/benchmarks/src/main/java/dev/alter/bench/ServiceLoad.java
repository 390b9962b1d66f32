package dev.alter.bench;

import dev.alter.contract.CredentialSealing;
import dev.alter.contract.X25519Keys;
import dev.alter.it.harness.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * wrk load against the resolver service: a warm-up window, then the measured one with the service's
 * own CPU time around it. Any non-2xx answer or socket error fails the measurement.
 */
final class ServiceLoad {
  /** wrk event-loop threads: one per core of the machines this runs on. */
  static final int WRK_THREADS = 2;

  private final Settings settings;
  private final WrkLoad wrk;

  ServiceLoad(Settings settings, String wrk, Path workDir) {
    this.settings = settings;
    this.wrk = new WrkLoad(wrk, workDir);
  }

  record Measured(WrkLoad.Result result, long serviceCpuNanos) {
    double cpuNanosPerRequest() {
      return serviceCpuNanos / (double) result.requests();
    }
  }

  Measured measure(String url, String method, Map<String, String> headers, List<String> bodies)
      throws IOException, InterruptedException {
    int connections = settings.loadConnections();
    wrk.run(url, method, headers, bodies, connections, WRK_THREADS, settings.loadWarmup());
    ProcessCpu before = ProcessCpu.descendants(c -> c.contains("alter-resolver-service"));
    WrkLoad.Result result =
        wrk.run(url, method, headers, bodies, connections, WRK_THREADS, settings.loadMeasure());
    long serviceCpu =
        ProcessCpu.descendants(c -> c.contains("alter-resolver-service")).nanosSince(before);
    if (result.errors() > 0 || result.requests() == 0) {
      throw new IllegalStateException(
          method
              + " "
              + url
              + ": "
              + result.errors()
              + " failed of "
              + result.requests()
              + " requests; wrk said:\n"
              + result.output());
    }
    return new Measured(result, serviceCpu);
  }

  /**
   * One resolve body per grant, each with its own key pair, as separate agent processes would send.
   */
  static List<String> resolveBodies(List<String> grants, String destinationUrl) {
    List<String> bodies = new ArrayList<>();
    for (String grant : grants) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("grant", grant);
      body.put("destination", Map.of("method", "GET", "url", destinationUrl));
      body.put(
          "public_key",
          CredentialSealing.encodePublicKey(
              X25519Keys.rawPublicKey(X25519Keys.generate().getPublic())));
      bodies.add(Json.write(body));
    }
    return bodies;
  }
}
