package dev.alter.agent.instrumentation.apache.httpclient5;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.injection.aws.RepeatableEntityReader;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Apache HttpClient 5 (classic and async, HTTP/1.1 and HTTP/2), via HttpCore 5 — verified against
 * client 5.1.4 / core 5.1.5 and client 5.6.x / core 5.4.x, where every hooked method is unchanged.
 *
 * <p>Injection happens where HttpCore turns a request into bytes: the HTTP/1.1 header writers and
 * the HPACK encoder. Each runs after every point the application can observe (request interceptors,
 * {@code HttpClientContext.getRequest()}, the {@code headers} log and stream listeners), and each
 * is handed a rewritten copy, never a changed original. The writers cannot see their connection, so
 * the connection-owning method marks it for them ({@code DialledConnection}): destination binding
 * uses the origin actually dialled, which a request's own authority need not match ({@code
 * execute(HttpHost target, request)}).
 *
 * <p>Over HTTP/2 a request is decided one step earlier, when its stream submits the header list
 * ({@link H2StreamChannelInstrumentation}), so that a refusal fails that stream alone and never the
 * connection its siblings share ({@link H2UnsentStreamResetInstrumentation}, {@link
 * H2ExecRuntimeInstrumentation}); the encoder applies the rewrite decided there.
 *
 * <p>Bodies for AWS signing: the classic writer sees the request's entity; the async writers see
 * only the head, so the stream handler committing the request marks its entity producer for them
 * ({@link Http1StreamHandlerInstrumentation}), read by {@link AsyncEntityProducerReader}.
 */
public final class ApacheHttpClient5InstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new ClassicConnectionInstrumentation(),
        new AsyncHttp1DuplexerInstrumentation(),
        new AsyncResponseInstrumentation(),
        new Http1StreamHandlerInstrumentation(),
        new H2StreamHandlerInstrumentation(),
        new RequestWriterInstrumentation(),
        new H2MultiplexerInstrumentation(),
        new H2StreamChannelInstrumentation(),
        new H2UnsentStreamResetInstrumentation(),
        new H2ExecRuntimeInstrumentation(),
        new HPackEncoderInstrumentation(),
        new RetryStrategyInstrumentation(),
        new ClassicWireLogInstrumentation(),
        new AsyncWireLogInstrumentation(),
        new H2FramePayloadLogInstrumentation(),
        new ClassicExecuteInstrumentation(),
        new AsyncExecChainInstrumentation());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            ClassicExecuteInstrumentation.HOOK_SET,
            "Apache HttpClient 5 (classic)",
            "CloseableHttpClient.execute",
            "5.0 to 5.6",
            HookSet.Variant.of(
                "5.0 to 5.6", "org.apache.hc.core5.http.impl.io.AbstractMessageWriter")),
        HookSet.of(
            AsyncExecChainInstrumentation.HOOK_SET,
            "Apache HttpClient 5 (async)",
            "AsyncExecChainElement.execute",
            "5.0 to 5.6",
            HookSet.Variant.of(
                    "5.0 to 5.6", "org.apache.hc.core5.http.impl.nio.AbstractMessageWriter")
                .ifPresent("org.apache.hc.core5.http2.hpack.HPackEncoder")));
  }

  @Override
  public List<ClientBodyReader> bodyReaders() {
    return List.of(
        new RepeatableEntityReader(
            OutgoingBody.APACHE5, "org.apache.hc.core5.http.HttpEntity", "Apache HttpClient 5"),
        new AsyncEntityProducerReader());
  }
}
