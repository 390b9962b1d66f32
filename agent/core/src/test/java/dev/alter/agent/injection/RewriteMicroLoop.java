package dev.alter.agent.injection;

import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.InjectionSpec;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: a JMH-free loop over {@link AlterRequestInjector#rewrite} with a warm cache, the
 * shape of the benchmark's tagged request (plain-HTTP loopback provider, {@code DD-API-KEY}, an
 * identity header). Prints nanoseconds and bytes allocated per rewrite, which on a shared 2-core
 * machine say more than a throughput figure. Run from {@code agent/core}: {@code java -cp
 * target/classes:target/test-classes:$(deps) dev.alter.agent.injection.RewriteMicroLoop}.
 */
public final class RewriteMicroLoop {
  private RewriteMicroLoop() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    AlterRequestInjector injector =
        AlterRequestInjector.resolvingWith(
            new GrantResolver<>(
                (grant, identity, method, url) ->
                    CompletableFuture.completedFuture(
                        new ResolvedCredential(
                            "grt_bench",
                            1,
                            CredentialPayload.single("dd-api-key-value"),
                            InjectionSpec.headers(
                                List.of(
                                    new InjectionSpec.HeaderTemplate(
                                        "DD-API-KEY", "{credential}", false))),
                            DestinationPolicy.of(List.of("http://127.0.0.1:18080")),
                            3600)),
                Clock.systemUTC(),
                Duration.ofSeconds(1),
                Duration.ofMinutes(15),
                new InjectionApplier()));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long bytesBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      long start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        // advice builds a new request (and new header strings) for every hop
        OutgoingRequest request =
            new OutgoingRequest("GET", "http", "127.0.0.1", 18080, "/v1/validate")
                .header("Host", "127.0.0.1:18080")
                .header("alter-grant", new String("grt_bench"))
                .header("alter-identity", new String("agt_identity-token-of-this-workload"))
                .header("Accept", "*/*")
                .header("User-Agent", "bench");
        RequestRewrite rewrite = injector.rewrite(request);
        sink += rewrite.addCount();
      }
      long nanos = System.nanoTime() - start;
      long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytesBefore;
      System.out.printf(
          "round %d: %.0f ns/rewrite, %.0f bytes allocated/rewrite (request included)%n",
          round, (double) nanos / perRound, (double) bytes / perRound);
    }
    if (sink != (long) rounds * perRound) {
      throw new IllegalStateException("a rewrite injected nothing");
    }
  }
}
