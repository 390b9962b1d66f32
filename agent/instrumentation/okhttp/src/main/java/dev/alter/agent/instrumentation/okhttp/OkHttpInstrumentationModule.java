package dev.alter.agent.instrumentation.okhttp;

import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * OkHttp 3.5 to 3.13 ({@link LegacyCodecInstrumentation}) and 3.14, 4.x and 5.x, the releases with
 * {@code okhttp3.internal.connection.Exchange}, described here.
 *
 * <p>Two hooks share the work of one header write. {@link ExchangeInstrumentation} decides: it asks
 * the agent for the rewrite of a tagged request and fails the call there, before OkHttp's exchange
 * bookkeeping, if the request cannot get its credential. {@link ExchangeCodecInstrumentation} swaps
 * in the rewritten copy as the HTTP/1.1 or HTTP/2 codec starts writing, after network interceptors
 * and {@code EventListener.requestHeadersStart}; every object OkHttp hands to the application keeps
 * the original. {@link RetryInstrumentation} keeps OkHttp from retrying a refused request, and
 * {@link NewCallInstrumentation} refuses a tagged call at once when those hooks are not woven into
 * this OkHttp (a release whose internals differ).
 */
public final class OkHttpInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new ExchangeInstrumentation(),
        new ExchangeCodecInstrumentation(),
        new LegacyCodecInstrumentation(),
        new RetryInstrumentation(),
        new NewCallInstrumentation());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            NewCallInstrumentation.HOOK_SET,
            "OkHttp",
            "OkHttpClient.newCall",
            "3.5 to 5.x",
            HookSet.Variant.of(
                "3.14 to 5.x",
                "okhttp3.internal.connection.Exchange",
                "okhttp3.internal.http1.Http1ExchangeCodec",
                "okhttp3.internal.http2.Http2ExchangeCodec"),
            HookSet.Variant.of(
                "3.5 to 3.13",
                "okhttp3.internal.http1.Http1Codec",
                "okhttp3.internal.http2.Http2Codec")));
  }

  @Override
  public List<ClientBodyReader> bodyReaders() {
    return List.of(new OkHttpBodyReader());
  }
}
