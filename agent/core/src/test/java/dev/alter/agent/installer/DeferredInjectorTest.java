package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.injection.AlterRequestInjector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DeferredInjectorTest {
  private static final OutgoingRequest TAGGED =
      new OutgoingRequest("GET", "https", "api.stripe.com", -1, "/").header("alter-grant", "grt_1");

  private static AgentConfig config(Map<String, String> env) {
    return AgentConfig.load(null, name -> null, env::get);
  }

  @Test
  void concurrentFirstRequestsShareOneInjector() throws Exception {
    DeferredInjector deferred =
        new DeferredInjector(
            config(
                Map.of(
                    "ALTER_RESOLVER_URL",
                    "http://127.0.0.1:1",
                    "ALTER_API_KEY",
                    "alter_key_app_test")));
    CountDownLatch go = new CountDownLatch(1);
    List<RequestInjector> seen = new CopyOnWriteArrayList<>();
    Thread[] threads = new Thread[6];
    for (int i = 0; i < threads.length; i++) {
      threads[i] =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                seen.add(deferred.injector());
              });
      threads[i].start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }

    assertThat(seen).hasSize(threads.length);
    assertThat(seen).allSatisfy(injector -> assertThat(injector).isSameAs(seen.get(0)));
    assertThat(seen.get(0)).isNotInstanceOf(DeferredInjector.class);
  }

  @Test
  void theBuiltInjectorSignsWithTheConfiguredBodyLimit() {
    DeferredInjector deferred =
        new DeferredInjector(
            config(
                Map.of(
                    "ALTER_RESOLVER_URL",
                    "http://127.0.0.1:1",
                    "ALTER_API_KEY",
                    "alter_key_app_test",
                    "ALTER_AWS_MAX_SIGNED_BODY_BYTES",
                    "64KiB")));

    assertThat(deferred.injector())
        .isInstanceOfSatisfying(
            AlterRequestInjector.class,
            injector -> assertThat(injector.maxSignedBodyBytes()).isEqualTo(64 * 1024));
  }

  @Test
  void warmingUpAnUnconfiguredAgentLeavesTaggedRequestsFailingClosed() {
    DeferredInjector deferred = new DeferredInjector(config(Map.of()));

    deferred.warmUp();

    assertThatThrownBy(() -> deferred.rewrite(TAGGED))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.code()).isEqualTo("resolver_unavailable"));
  }
}
