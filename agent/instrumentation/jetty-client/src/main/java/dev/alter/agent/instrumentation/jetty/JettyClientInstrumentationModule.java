package dev.alter.agent.instrumentation.jetty;

import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * Jetty {@code HttpClient} 10, 11, 12.0 and 12.1 (and so Spring's {@code
 * JettyClientHttpRequestFactory} and {@code JettyClientHttpConnector}), HTTP/1.1 and HTTP/2.
 *
 * <p>Three hooks share the work of one header block. {@link SendHeadersInstrumentation} decides,
 * where the transport's sender is about to write it, on the connection actually dialled: it asks
 * the agent for the rewrite, postpones the write off the selector while a resolve runs, or fails
 * the request. {@link HttpGeneratorInstrumentation} (HTTP/1.1) and {@link
 * HeadersFrameInstrumentation} (HTTP/2) then take a rewritten copy of the header block in place of
 * the application's, whose request object and headers keep what the application set. {@link
 * RequestSendInstrumentation} refuses a tagged request at once when those hooks are not woven into
 * this Jetty. {@link ResponseHeadersInstrumentation} tells the usage counters the status an
 * injected request got.
 */
public final class JettyClientInstrumentationModule implements InstrumentationModule {
  static final String HOOK_SET = "jetty-client";

  @Override
  public String name() {
    return "jetty-client";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new SendHeadersInstrumentation(),
        new HttpGeneratorInstrumentation(),
        new HeadersFrameInstrumentation(),
        new RequestSendInstrumentation(),
        new ResponseHeadersInstrumentation());
  }

  @Override
  public List<ClientBodyReader> bodyReaders() {
    return List.of(new JettyContentReader());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            HOOK_SET,
            "Jetty HttpClient",
            "HttpRequest.send",
            "10.0, 11.0, 12.0 and 12.1",
            HookSet.Variant.of(
                    "12.0 and 12.1",
                    SendHeadersInstrumentation.JETTY_12_HTTP11,
                    HttpGeneratorInstrumentation.GENERATOR)
                .ifPresent(
                    SendHeadersInstrumentation.JETTY_12_HTTP2,
                    HeadersFrameInstrumentation.HEADERS_FRAME),
            HookSet.Variant.of(
                    "10.0 and 11.0",
                    SendHeadersInstrumentation.JETTY_11_HTTP11,
                    HttpGeneratorInstrumentation.GENERATOR)
                .ifPresent(
                    SendHeadersInstrumentation.JETTY_11_HTTP2,
                    HeadersFrameInstrumentation.HEADERS_FRAME)));
  }
}
