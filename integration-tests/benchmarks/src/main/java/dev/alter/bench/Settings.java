package dev.alter.bench;

import java.time.Duration;

/**
 * How long and how often each benchmark runs. Quick mode proves the tooling in a few minutes; full
 * mode gives steadier figures. Every duration is bounded.
 *
 * @param forks child JVMs per variant in the proxy and durability benchmarks (alternating)
 * @param overheadForks child JVMs per variant in the per-request benchmark (section 1): each JVM
 *     lands a few percent faster or slower than the next one of the same variant, so a 2 % target
 *     needs more of them than the other sections' figures do
 * @param warmup warm-up window of each child JVM (not measured)
 * @param measure measured window of each child JVM
 * @param rounds rounds of short windows per fork in the per-request benchmark: each round measures
 *     every variant's child once, in turn
 * @param roundWindow measured window of one child in one round
 * @param maxSettlingRounds unmeasured rounds at most, after the warm-ups, for the per-request
 *     benchmark's children to settle before its measured rounds
 * @param proxyThreads client threads of the proxy benchmark's throughput phase
 * @param startupRuns runs of each start-up variant (alternating)
 * @param coldGrants distinct grants (each resolved cold once) per store
 * @param loadWarmup warm-up of the resolver-service load generator
 * @param loadMeasure measured window of the resolver-service load generator
 * @param loadConnections keep-alive connections (one thread each) of the load generator
 */
public record Settings(
    String mode,
    int forks,
    int overheadForks,
    Duration warmup,
    Duration measure,
    int rounds,
    Duration roundWindow,
    int maxSettlingRounds,
    int proxyThreads,
    int startupRuns,
    int coldGrants,
    Duration loadWarmup,
    Duration loadMeasure,
    int loadConnections) {

  public static Settings quick() {
    return new Settings(
        "quick",
        2,
        2,
        Duration.ofMillis(1000),
        Duration.ofMillis(1500),
        3,
        Duration.ofMillis(500),
        3,
        4,
        5,
        20,
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        32);
  }

  public static Settings full() {
    return new Settings(
        "full",
        3,
        5,
        // C2 has compiled most of the client's and the agent's hot paths by then; settling rounds
        // wait for the rest
        Duration.ofSeconds(10),
        Duration.ofSeconds(4),
        6,
        Duration.ofSeconds(1),
        8,
        4,
        7,
        100,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        32);
  }

  /**
   * A tiny configuration for the module's smoke test: proves the tooling runs, measures nothing.
   */
  public static Settings smoke() {
    return new Settings(
        "smoke",
        1,
        1,
        Duration.ofMillis(200),
        Duration.ofMillis(300),
        1,
        Duration.ofMillis(200),
        1,
        2,
        1,
        3,
        Duration.ofMillis(200),
        Duration.ofMillis(300),
        4);
  }
}
