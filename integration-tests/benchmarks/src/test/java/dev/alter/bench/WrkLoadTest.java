package dev.alter.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** wrk's report as wrk 4.1 prints it (captured from real runs), and the Lua script it is given. */
class WrkLoadTest {
  private static final String CLEAN =
      """
      Running 1s test @ http://127.0.0.1:18089/x
        2 threads and 4 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    70.34ms   59.34ms 261.56ms   85.00%
          Req/Sec    40.75     15.28    60.00     75.00%
        Latency Distribution
           50%   44.00ms
           75%   48.01ms
           90%  200.91ms
           99%  261.56ms
        68 requests in 1.01s, 5.41KB read
      Requests/sec:     67.54
      Transfer/sec:      5.37KB
      """;

  private static final String FAILING =
      """
      Running 1s test @ http://127.0.0.1:18089/fail
        1 threads and 2 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    42.24ms    8.71ms  48.75ms   95.65%
          Req/Sec    46.00      9.66    60.00     70.00%
        Latency Distribution
           50%  943.97us
           75%   44.01ms
           90%   44.09ms
           99%    1.02s
        46 requests in 1.00s, 4.50KB read
        Socket errors: connect 0, read 2, write 1, timeout 0
        Non-2xx or 3xx responses: 46
      Requests/sec:     45.90
      Transfer/sec:      4.49KB
      """;

  @Test
  void readsCountRateAndPercentiles() {
    WrkLoad.Result r = WrkLoad.parse(CLEAN);
    assertThat(r.requests()).isEqualTo(68);
    assertThat(r.perSecond()).isEqualTo(67.54);
    assertThat(r.p50Nanos()).isEqualTo(44.00e6);
    assertThat(r.p99Nanos()).isEqualTo(261.56e6);
    assertThat(r.errors()).isZero();
  }

  @Test
  void countsEveryFailedAnswerAndSocketError() {
    WrkLoad.Result r = WrkLoad.parse(FAILING);
    assertThat(r.errors()).isEqualTo(46 + 3);
    assertThat(r.p50Nanos()).isEqualTo(943.97e3, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(r.p99Nanos()).isEqualTo(1.02e9);
  }

  @Test
  void refusesOutputWithoutTotals() {
    assertThatThrownBy(() -> WrkLoad.parse("unable to connect to 127.0.0.1:1 Connection refused"))
        .hasMessageContaining("unreadable wrk output");
  }

  @Test
  void scriptCyclesThroughBodiesWithEscapedBytes() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer k\\1");
    String lua =
        WrkLoad.luaScript("POST", headers, List.of("{\"grant\":\"a\"}", "{\"grant\":\"bé\"}"));
    assertThat(lua)
        .contains("\"{\\034grant\\034:\\034a\\034}\"")
        .contains("\"{\\034grant\\034:\\034b\\195\\169\\034}\"")
        .contains("[\"Authorization\"] = \"Bearer k\\0921\"")
        .contains("next = next % #bodies + 1")
        .contains("wrk.format(\"POST\", nil, headers, bodies[next])");
  }
}
