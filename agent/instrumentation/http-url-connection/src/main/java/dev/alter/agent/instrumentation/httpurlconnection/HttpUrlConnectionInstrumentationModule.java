package dev.alter.agent.instrumentation.httpurlconnection;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it ({@code sun.net.www.protocol.http}
 * and, for HTTPS, {@code sun.net.www.protocol.https}, whose connections write through the same
 * {@code sun.net.www.http.HttpClient}). Used by default by the Stripe and Datadog SDKs and by
 * Spring's {@code RestTemplate}. Verified against JDK 17 and JDK 25.
 */
public final class HttpUrlConnectionInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new HttpClientWriteRequestsInstrumentation(), new HttpCaptureOutputStreamInstrumentation());
  }
}
