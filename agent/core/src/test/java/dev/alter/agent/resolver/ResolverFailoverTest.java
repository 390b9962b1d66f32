package dev.alter.agent.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.contract.ErrorCode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One resolve moving to another replica when the first cannot answer, within its timeout. */
class ResolverFailoverTest {
  private static final String APP_KEY = "alter_key_app_" + "A".repeat(43);
  private static final URI REFUSING = URI.create("http://127.0.0.1:1");
  private static final ProcessKeyPair KEY_PAIR = ProcessKeyPair.generate();

  private final FakeResolverService a;
  private final FakeResolverService b;

  ResolverFailoverTest() throws Exception {
    a = new FakeResolverService();
    b = new FakeResolverService();
    b.credential = "sk_from_b";
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  private ResolverClient client(Duration timeout, URI... urls) {
    return new ResolverClient(
        new ResolverEndpoints(List.of(urls)), APP_KEY, null, timeout, () -> KEY_PAIR);
  }

  private static ResolvedCredential resolve(ResolverClient client) {
    return client.resolve("grt_1", null, "GET", "https://api.stripe.com/v1/charges").join();
  }

  @Test
  void aRefusedConnectionMovesToTheNextReplicaAndAvoidsTheDeadOneAfterwards() {
    ResolverClient client = client(Duration.ofSeconds(2), REFUSING, b.baseUrl());
    assertThat(resolve(client).payload().primary()).isEqualTo("sk_from_b");
    assertThat(client.endpoints().avoided(REFUSING)).isTrue();
    assertThat(resolve(client).payload().primary()).isEqualTo("sk_from_b");
    assertThat(b.requests).hasSize(2);
  }

  @Test
  void aReplicaAnswering5xxIsPassedOverAndEachAttemptIsSignedForItsOwnReplica() {
    a.problemCode = "store_unavailable";
    a.problemStatus = 503;
    ResolverClient client = client(Duration.ofSeconds(2), a.baseUrl(), b.baseUrl());
    assertThat(resolve(client).payload().primary()).isEqualTo("sk_from_b");
    assertThat(a.requests).hasSize(1);
    assertThat(b.requests).hasSize(1);
    assertThat(a.authorizations.get(0)).isNotEqualTo(b.authorizations.get(0));
  }

  @Test
  void aRefusalIsTheAnswerAndNeverAskedOfAnotherReplica() {
    a.problemCode = "grant_revoked";
    a.problemStatus = 403;
    ResolverClient client = client(Duration.ofSeconds(2), a.baseUrl(), b.baseUrl());
    assertThatThrownBy(() -> resolve(client))
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.GRANT_REVOKED));
    assertThat(b.requests).isEmpty();
    assertThat(client.endpoints().avoided(a.baseUrl())).isFalse();
  }

  @Test
  void aReplicaThatAcceptsButNeverAnswersLeavesTimeForTheNextWithinTheResolveTimeout()
      throws Exception {
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI silent = URI.create("http://127.0.0.1:" + blackHole.getLocalPort());
      ResolverClient client = client(Duration.ofSeconds(4), silent, b.baseUrl());
      long started = System.nanoTime();
      assertThat(resolve(client).payload().primary()).isEqualTo("sk_from_b");
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      // the silent replica gets half the budget, not all of it
      assertThat(elapsedMillis).isLessThan(3_900);
    }
  }

  @Test
  void whenNoReplicaAnswersTheFailureNamesEach() {
    URI alsoRefusing = URI.create("http://127.0.0.1:2");
    ResolverClient client = client(Duration.ofSeconds(2), REFUSING, alsoRefusing);
    assertThatThrownBy(() -> resolve(client))
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE);
              assertThat(f.serviceUnavailable()).isTrue();
              assertThat(f.getMessage())
                  .startsWith("resolver_unavailable: no resolver replica answered (")
                  .contains("http://127.0.0.1:1/v1/resolve: connection refused")
                  .contains("http://127.0.0.1:2/v1/resolve: connection refused");
            });
  }

  @Test
  void everyReplicaFailing5xxKeepsTheServicesCode() {
    a.problemCode = "store_unavailable";
    a.problemStatus = 503;
    b.problemCode = "store_unavailable";
    b.problemStatus = 503;
    ResolverClient client = client(Duration.ofSeconds(2), a.baseUrl(), b.baseUrl());
    assertThatThrownBy(() -> resolve(client))
        .cause()
        .isInstanceOfSatisfying(
            ResolveFailure.class,
            f -> {
              assertThat(f.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
              assertThat(f.getMessage()).contains(a.baseUrl().toString(), b.baseUrl().toString());
            });
    // each replica at most twice
    assertThat(a.requests.size()).isBetween(1, 2);
    assertThat(b.requests.size()).isBetween(1, 2);
  }
}
