package dev.alter.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.AwaitedResponses;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.ResponseObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class UsageCountsTest {
  private static final String GRANT = "grt_0123456789abcdef0123";
  private static final String DIGEST = "ab".repeat(32);

  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final UsageCounts counts = new UsageCounts(now::get);

  @Test
  void countsInjectedRefusedAndResponsesPerGrantAndIdentity() {
    counts.injected(GRANT, GRANT, null).responded(200);
    counts.injected(GRANT, GRANT, null).responded(401);
    counts.injected(GRANT, GRANT, null).responded(429);
    counts.injected(GRANT, GRANT, DIGEST).responded(403);
    counts.refused(GRANT, null, "host_not_allowed");
    counts.refused(GRANT, null, "policy_violation");
    counts.refused(GRANT, null, "policy_violation");

    List<UsageEntry> entries = counts.drain();

    assertThat(entries).hasSize(2);
    UsageEntry system = entries.stream().filter(e -> e.identityDigest == null).findFirst().get();
    assertThat(system.injected()).isEqualTo(3);
    assertThat(system.responses(2)).isEqualTo(1);
    assertThat(system.responses(4)).isEqualTo(2);
    assertThat(system.status401).isEqualTo(1);
    assertThat(system.status429).isEqualTo(1);
    assertThat(system.refused()).isEqualTo(Map.of("host_not_allowed", 1L, "policy_violation", 2L));
    UsageEntry user = entries.stream().filter(e -> e.identityDigest != null).findFirst().get();
    assertThat(user.injected()).isEqualTo(1);
    assertThat(user.status403).isEqualTo(1);
    assertThat(counts.drain()).as("a drain empties the counters").isEmpty();
  }

  @Test
  void aRefusalByAliasCountsUnderTheGrantTheAliasResolvedToAndUnknownGrantsAreNotCounted() {
    counts.injected("@datadog", GRANT, null);
    counts.refused("@datadog", null, "host_not_allowed");
    counts.refused("@stripe", null, "resolver_unavailable");
    counts.refused("grt_typo", null, "grant_not_found");
    counts.refused("not a grant\",\"x", null, "host_not_allowed");

    List<UsageEntry> entries = counts.drain();

    assertThat(entries).extracting(UsageEntry::grantId).containsExactly(GRANT);
    assertThat(entries.get(0).refused()).isEqualTo(Map.of("host_not_allowed", 1L));
  }

  @Test
  void countsMadeWhileDrainingLandInThisReportOrTheNextNeverInNeither() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  counts.injected(GRANT, GRANT, null).responded(200);
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    long injected = 0;
    long accepted = 0;
    boolean running = true;
    while (running) {
      running = workers.stream().anyMatch(Thread::isAlive);
      for (UsageEntry e : counts.drain()) {
        injected += e.injected();
        accepted += e.responses(2);
      }
    }
    assertThat(injected).isEqualTo((long) threads * perThread);
    assertThat(accepted).isEqualTo((long) threads * perThread);
  }

  @Test
  void aMinutesCountersAreKeptApartAndDroppedOnceIdle() {
    counts.injected(GRANT, GRANT, null);
    now.addAndGet(60_000);
    counts.startMinute();
    counts.injected(GRANT, GRANT, null);

    List<UsageEntry> entries = counts.drain();

    assertThat(entries).extracting(e -> e.minuteMillis).hasSize(2).doesNotHaveDuplicates();
    assertThat(counts.drain()).isEmpty();
    assertThat(counts.drain()).isEmpty();
  }

  @Test
  void theTallyKeptForTheLastKeyFollowsTheMinuteTheIdentityAndAClockSetBack() {
    ResponseObserver first = counts.injected(GRANT, GRANT, null);
    ResponseObserver again = counts.injected(GRANT, GRANT, null);
    counts.injected(GRANT, GRANT, DIGEST).responded(200);
    again.responded(200);
    long firstMinute = now.get() / 60_000 * 60_000;
    now.addAndGet(60_000);
    counts.startMinute();
    first.responded(500);
    counts.injected(GRANT, GRANT, null);

    List<UsageEntry> entries = counts.drain();

    assertThat(entries)
        .extracting(e -> e.minuteMillis, e -> e.identityDigest, UsageEntry::injected)
        .containsExactlyInAnyOrder(
            Tuple.tuple(firstMinute, null, 2L),
            Tuple.tuple(firstMinute, DIGEST, 1L),
            Tuple.tuple(firstMinute + 60_000, null, 1L));
    UsageEntry later = entries.stream().filter(e -> e.minuteMillis > firstMinute).findFirst().get();
    assertThat(later.responses(5)).as("a response counts in the minute it came").isEqualTo(1);
  }

  @Test
  void aClockSetBackToAMinuteWhoseTallyWasDroppedCountsIntoANewOne() {
    counts.injected(GRANT, GRANT, null);
    long minute = now.get() / 60_000 * 60_000;
    now.addAndGet(60_000);
    assertThat(counts.drain()).hasSize(1);
    counts.drain();
    counts.drain(); // idle twice: the minute's tally, the last one counted into, is dropped

    now.addAndGet(-60_000);
    counts.startMinute();
    counts.injected(GRANT, GRANT, null);

    assertThat(counts.drain())
        .extracting(e -> e.minuteMillis, UsageEntry::injected)
        .containsExactly(Tuple.tuple(minute, 1L));
  }

  @Test
  void theKeyCountedLastStaysInItsMinuteUntilTheNextMinuteStarts() {
    long firstMinute = now.get() / 60_000 * 60_000;
    counts.injected(GRANT, GRANT, null);
    now.addAndGet(60_000);
    counts.injected(GRANT, GRANT, null).responded(200);
    counts.injected(GRANT, GRANT, DIGEST); // another key is looked up by the clock

    counts.startMinute();
    counts.injected(GRANT, GRANT, null).responded(204);

    assertThat(counts.drain())
        .extracting(
            e -> e.minuteMillis, e -> e.identityDigest, UsageEntry::injected, e -> e.responses(2))
        .containsExactlyInAnyOrder(
            Tuple.tuple(firstMinute, null, 2L, 1L),
            Tuple.tuple(firstMinute + 60_000, DIGEST, 1L, 0L),
            Tuple.tuple(firstMinute + 60_000, null, 1L, 1L));
  }

  @Test
  void atTheKeyCapTheNextMinuteOfTheKeyCountedLastIsNotCountedLikeAnyNewKey() {
    for (int i = 0; i < UsageCounts.MAX_KEYS; i++) {
      counts.injected("grt_key" + i, "grt_key" + i, null);
    }
    long firstMinute = now.get() / 60_000 * 60_000;
    now.addAndGet(60_000);
    counts.startMinute();

    String countedLast = "grt_key" + (UsageCounts.MAX_KEYS - 1);
    assertThat(counts.injected(countedLast, countedLast, null)).isNull();
    assertThat(counts.drain())
        .hasSize(UsageCounts.MAX_KEYS)
        .allSatisfy(e -> assertThat(e.minuteMillis).isEqualTo(firstMinute));
  }

  @Test
  void aDrainStartsTheMinuteBeforeItTakesTheCounts() {
    counts.injected(GRANT, GRANT, null);
    now.addAndGet(60_000);
    counts.drain();

    counts.injected(GRANT, GRANT, null);

    assertThat(counts.drain())
        .extracting(e -> e.minuteMillis)
        .containsExactly(now.get() / 60_000 * 60_000);
  }

  @Test
  void theNextMinuteIsMeasuredFromTheClock() {
    now.set(1_800_000_000_000L); // a minute boundary
    assertThat(counts.millisToNextMinute()).isEqualTo(60_000);
    now.addAndGet(59_999);
    assertThat(counts.millisToNextMinute()).isEqualTo(1);
  }

  @Test
  void theReportBodyIsTheJsonTheServiceTakes() {
    counts.injected(GRANT, GRANT, DIGEST).responded(401);
    counts.refused(GRANT, DIGEST, "policy_violation");

    String json =
        new String(UsageEntry.reportJson("b-1", counts.drain()), StandardCharsets.US_ASCII);

    assertThat(json)
        .isEqualTo(
            "{\"batch_id\":\"b-1\",\"entries\":[{\"grant_id\":\""
                + GRANT
                + "\",\"identity_digest\":\""
                + DIGEST
                + "\",\"minute\":\"2027-01-15T08:00:00Z\",\"injected\":1,"
                + "\"refused\":{\"policy_violation\":1},"
                + "\"responses\":{\"1xx\":0,\"2xx\":0,\"3xx\":0,\"4xx\":1,\"5xx\":0},"
                + "\"401\":1,\"403\":0,\"429\":0}]}");
  }

  @Test
  void aResponseReachesTheObserverOfItsOwnExchangeOnlyAndInterimAnswersWait() {
    OutgoingRequest request = new OutgoingRequest("GET", "https", "api.example.com", -1, "/");
    List<Integer> seen = new ArrayList<>();
    ResponseObserver observer = seen::add;
    request.responseObserver(observer);
    Object exchange = new Object();
    Object untagged = new Object();

    AwaitedResponses.expect(exchange, request);
    AwaitedResponses.responded(untagged, 500);
    AwaitedResponses.responded(exchange, 100);
    AwaitedResponses.responded(exchange, 401);
    AwaitedResponses.responded(exchange, 200);

    assertThat(seen).containsExactly(401);
  }
}
