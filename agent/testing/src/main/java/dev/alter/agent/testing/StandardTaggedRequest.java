package dev.alter.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request every in-process test sends to prove a hook's basic rewrite, and what must come of
 * it: a GET to {@link #TARGET} over plain HTTP, tagged {@code grt_header}, with an identity header,
 * a placeholder {@code Authorization} and a header of the app's own. The server receives the
 * credential in place of the placeholder, {@code DD-API-KEY}, the app's header and no {@code
 * alter-*} header; the injector was asked exactly once, about the origin dialled.
 */
public final class StandardTaggedRequest {
  public static final String TARGET = "/v1/charges?limit=3";

  /** In the order the app sets them. */
  public static final Map<String, String> HEADERS = headers();

  private StandardTaggedRequest() {}

  private static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("alter-grant", "grt_header");
    headers.put("alter-identity", "eyJ.token");
    headers.put("Authorization", "Bearer placeholder");
    headers.put("X-Trace", "abc-123");
    return headers;
  }

  /** Checks what {@code server} received and what {@code injector} was asked. */
  public static void assertRewritten(LocalServer server, ScriptedInjector injector) {
    LocalServer.Received received = server.single();
    assertThat(received.target).isEqualTo(TARGET);
    assertThat(received.header("Authorization"))
        .containsExactly("Bearer " + ScriptedInjector.SECRET);
    assertThat(received.header("DD-API-KEY")).containsExactly(ScriptedInjector.SECRET);
    assertThat(received.header("X-Trace")).containsExactly("abc-123");
    assertThat(received.hasHeader("alter-grant")).isFalse();
    assertThat(received.hasHeader("alter-identity")).isFalse();
    assertThat(injector.seen)
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.scheme()).isEqualTo("http");
              assertThat(request.host()).isEqualTo("127.0.0.1");
              assertThat(request.port()).isEqualTo(server.port());
              assertThat(request.method()).isEqualTo("GET");
              assertThat(request.pathAndQuery()).isEqualTo(TARGET);
            });
  }
}
