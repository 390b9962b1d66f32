package dev.alter.agent.instrumentation.javahttpclient;

import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * {@code java.net.http.HttpClient} (JDK 11+): HTTP/1.1 header blocks, HTTP/2 HEADERS frames, and
 * the synchronous {@code send} surfacing Alter's own exception; an HTTP/2 request is decided before
 * its stream exists, so a refusal fails that stream alone. A tagged request on a JDK whose header
 * hooks are not woven fails at {@code HttpClientImpl} with {@code client_not_supported}. Disable
 * with {@code -Dalter.instrumentation.java-http-client.enabled=false}.
 */
public final class JavaHttpClientInstrumentationModule implements InstrumentationModule {
  /** How long a BodyPublisher may take to deliver a body read ahead of sending. */
  private static final long PUBLISHER_TIMEOUT_MILLIS = 5_000;

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new Http1RequestInstrumentation(),
        new Http2StreamInstrumentation(),
        new Http2ConnectionInstrumentation(),
        new HttpClientImplInstrumentation(),
        new ResponseInstrumentation());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            HttpClientImplInstrumentation.HOOK_SET,
            "JDK HttpClient",
            "HttpClientImpl.send/sendAsync",
            "of JDK 17 to 25",
            HookSet.Variant.of(
                "JDK 17 to 25",
                "jdk.internal.net.http.Http1Request",
                "jdk.internal.net.http.Http2Connection")));
  }

  @Override
  public List<ClientBodyReader> bodyReaders() {
    return List.of(new JdkPublisherReader(PUBLISHER_TIMEOUT_MILLIS));
  }
}
