package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitedResponsesTest {
  private final List<String> told = new ArrayList<>();

  @AfterEach
  void nothingLeftAwaiting() {
    assertThat(AwaitedResponses.awaiting()).isZero();
  }

  @Test
  void aResponseOnTheWritingThreadReachesItsObserverOnce() {
    Object exchange = new Object();

    AwaitedResponses.expectOnThisThread(exchange, injected("a"));
    assertThat(AwaitedResponses.awaits(exchange)).isTrue();
    AwaitedResponses.responded(exchange, 100); // interim: the mark stays for the final answer
    AwaitedResponses.responded(exchange, 200);
    AwaitedResponses.responded(exchange, 200);

    assertThat(told).containsExactly("a 200");
    assertThat(AwaitedResponses.awaits(exchange)).isFalse();
  }

  @Test
  void anOtherResponseOnTheThreadLeavesTheMarkAlone() {
    Object exchange = new Object();

    AwaitedResponses.expectOnThisThread(exchange, injected("a"));
    AwaitedResponses.responded(new Object(), 500); // an untagged request's answer

    assertThat(told).isEmpty();
    AwaitedResponses.responded(exchange, 204);
    assertThat(told).containsExactly("a 204");
  }

  @Test
  void aRequestSentBeforeTheFirstIsAnsweredKeepsBothMarks() {
    // e.g. a request body that makes a call of its own on the same thread
    Object outer = new Object();
    Object inner = new Object();

    AwaitedResponses.expectOnThisThread(outer, injected("outer"));
    AwaitedResponses.expectOnThisThread(inner, injected("inner"));
    AwaitedResponses.responded(inner, 201);
    AwaitedResponses.responded(outer, 403);

    assertThat(told).containsExactly("inner 201", "outer 403");
  }

  @Test
  void aMarkInTheSharedMapIsFoundFromAnotherThread() throws Exception {
    Object exchange = new Object();
    AwaitedResponses.expect(exchange, injected("shared"));

    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      other.submit(() -> AwaitedResponses.responded(exchange, 429)).get(10, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
    }

    assertThat(told).containsExactly("shared 429");
  }

  @Test
  void aRequestTheInjectorDoesNotWatchLeavesNoMark() {
    Object exchange = new Object();

    AwaitedResponses.expectOnThisThread(
        exchange, new OutgoingRequest("GET", "https", "h", -1, "/"));

    assertThat(AwaitedResponses.awaits(exchange)).isFalse();
  }

  @Test
  void aThreadsMarkDoesNotKeepAnExchangeWhoseResponseNeverCame() throws Exception {
    // a request that failed after its head was written: nothing answers its exchange
    AwaitedResponses.expectOnThisThread(new Object(), injected("failed"));
    assertThat(AwaitedResponses.awaiting()).isOne();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (AwaitedResponses.awaiting() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }

    assertThat(told).isEmpty();
  }

  private OutgoingRequest injected(String name) {
    OutgoingRequest request = new OutgoingRequest("GET", "https", "api.example.com", -1, "/");
    request.responseObserver(status -> told.add(name + " " + status));
    return request;
  }
}
