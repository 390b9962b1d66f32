package dev.alter.agent.instrumentation.javahttpclient;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * {@code java.net.http.HttpClient} (JDK 11+): HTTP/1.1 header blocks, HTTP/2 HEADERS frames, and
 * the synchronous {@code send} surfacing Alter's own exception. Disable with
 * {@code -Dalter.instrumentation.java-http-client.enabled=false}.
 */
public final class JavaHttpClientInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new Http1RequestInstrumentation(), new Http2StreamInstrumentation(),
        new Http2ConnectionInstrumentation(), new HttpClientImplInstrumentation());
  }
}
