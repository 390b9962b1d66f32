package dev.alter.agent.instrumentation.httpurlconnection;

import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it ({@code sun.net.www.protocol.http}
 * and, for HTTPS, {@code sun.net.www.protocol.https}, whose connections write through the same
 * {@code sun.net.www.http.HttpClient}). Used by default by the Stripe and Datadog SDKs and by
 * Spring's {@code RestTemplate}. Verified against JDK 17 and JDK 25. A tagged request on a JDK
 * whose header hook is not woven fails at {@link ConnectInstrumentation} with {@code
 * client_not_supported}.
 */
public final class HttpUrlConnectionInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new HttpClientWriteRequestsInstrumentation(),
        new HttpCaptureOutputStreamInstrumentation(),
        new ConnectInstrumentation());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            ConnectInstrumentation.HOOK_SET,
            "HttpURLConnection",
            "HttpURLConnection.connect/getOutputStream/getInputStream",
            "of JDK 17 to 25",
            HookSet.Variant.of("JDK 17 to 25", "sun.net.www.http.HttpClient")));
  }
}
