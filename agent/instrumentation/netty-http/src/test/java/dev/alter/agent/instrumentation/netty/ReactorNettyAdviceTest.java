package dev.alter.agent.instrumentation.netty;

import static dev.alter.agent.testing.ScriptedInjector.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestInjector;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.testing.InstalledInstrumentation;
import dev.alter.agent.testing.LocalServer;
import dev.alter.agent.testing.ScriptedInjector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The advice woven into this JVM's real Netty 4.1 classes, driven by Reactor Netty 1.2's {@code
 * HttpClient} against a local server, with a scripted injector in place of the agent core: once
 * answering at once (a warm cache), once answering 200 ms later on another thread (a cold resolve,
 * the write held meanwhile). The child-JVM integration tests prove the same with the real agent
 * jar.
 */
class ReactorNettyAdviceTest {
  private LocalServer server;
  private ScriptedInjector scripted;

  @BeforeAll
  static void weaveAdvice() throws Exception {
    InstalledInstrumentation instrumentation =
        InstalledInstrumentation.of(new NettyHttpInstrumentationModule());
    Class.forName("io.netty.handler.codec.http.HttpObjectEncoder");
    assertThat(instrumentation.errors).isEmpty();
    assertThat(instrumentation.transformed)
        .contains("io.netty.handler.codec.http.HttpObjectEncoder");
  }

  @BeforeEach
  void start() throws Exception {
    server = LocalServer.http();
    scripted = ScriptedInjector.allowingHost("127.0.0.1", server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String get(String url, String grant) {
    return HttpClient.create()
        .headers(h -> h.add("alter-grant", grant).add("X-Keep", "kept"))
        .get()
        .uri(url)
        .responseSingle((response, body) -> Mono.just(String.valueOf(response.status().code())))
        .block(Duration.ofSeconds(20));
  }

  @Test
  void warmCredentialIsInjectedIntoTheCopyOnTheWire() {
    scripted.installed();
    assertThat(get(server.url("/warm"), "grt_dd")).isEqualTo("200");
    LocalServer.Received received = server.single();
    assertThat(received.header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(received.header("X-Keep")).containsExactly("kept");
    assertThat(received.hasHeader("alter-grant")).isFalse();
  }

  @Test
  void coldResolveHoldsTheWriteAndTheBodyBehindItUntilTheAnswerArrives() {
    AlterBridge.install(answeringLater(scripted, 200));
    String status =
        HttpClient.create()
            .headers(h -> h.add("alter-grant", "grt_dd"))
            .post()
            .uri(server.url("/cold"))
            .send(ByteBufFlux.fromString(Mono.just("the body, in order")))
            .responseSingle((response, body) -> Mono.just(String.valueOf(response.status().code())))
            .block(Duration.ofSeconds(20));
    assertThat(status).isEqualTo("200");
    LocalServer.Received received = server.single();
    assertThat(received.header("DD-API-KEY")).containsExactly(SECRET);
    assertThat(received.body).isEqualTo("the body, in order");
    assertThat(received.hasHeader("alter-grant")).isFalse();
  }

  @Test
  void refusalIsTheErrorSignalAndNothingIsSent() {
    AlterBridge.install(answeringLater(scripted, 100));
    Throwable error = null;
    try {
      get(server.url("/refused"), "grt_unknown");
    } catch (RuntimeException e) {
      error = Exceptions.unwrap(e);
    }
    assertThat(error).isInstanceOf(AlterCredentialException.class);
    assertThat(((AlterCredentialException) error).code()).isEqualTo("grant_not_found");
    assertThat(((AlterCredentialException) error).grantId()).isEqualTo("grt_unknown");
    assertThat(server.received).isEmpty();
  }

  /** The scripted answers, given 'later' ms after the ask on another thread: a cold resolve. */
  private static RequestInjector answeringLater(ScriptedInjector scripted, long later) {
    Executor delayed = CompletableFuture.delayedExecutor(later, TimeUnit.MILLISECONDS);
    return new RequestInjector() {
      @Override
      public RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
        return scripted.rewrite(request);
      }

      @Override
      public CompletableFuture<RequestRewrite> rewriteWithoutBlocking(OutgoingRequest request) {
        CompletableFuture<RequestRewrite> answer = new CompletableFuture<>();
        delayed.execute(
            () -> {
              try {
                answer.complete(scripted.rewrite(request));
              } catch (AlterCredentialException e) {
                answer.completeExceptionally(e);
              }
            });
        return answer;
      }
    };
  }
}
