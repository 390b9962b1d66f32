package dev.alter.agent.instrumentation.apache.httpclient4;

import dev.alter.agent.bootstrap.OutgoingBody;
import dev.alter.agent.injection.aws.ClientBodyReader;
import dev.alter.agent.injection.aws.RepeatableEntityReader;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;

/**
 * Apache HttpClient 4.5.x classic ({@code org.apache.httpcomponents:httpclient}, on HttpCore
 * 4.4.x): the AWS SDK for Java v2's default synchronous client and many older SDKs. The connection
 * that writes a request is marked on its thread; the header writer then writes a rewritten copy for
 * that connection's origin; the wire logger masks what was injected; the default retry handler does
 * not retry a refusal.
 */
public final class ApacheHttpClient4InstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-4";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(
        new ClientConnectionInstrumentation(),
        new DeprecatedClientConnectionInstrumentation(),
        new RequestWriterInstrumentation(),
        new WireInstrumentation(),
        new RetryHandlerInstrumentation(),
        new ExecuteInstrumentation());
  }

  @Override
  public List<HookSet> hookSets() {
    return List.of(
        HookSet.of(
            ExecuteInstrumentation.HOOK_SET,
            "Apache HttpClient 4",
            "CloseableHttpClient.execute",
            "4.5.x",
            HookSet.Variant.of("4.5.x", "org.apache.http.impl.io.AbstractMessageWriter")));
  }

  @Override
  public List<ClientBodyReader> bodyReaders() {
    return List.of(
        new RepeatableEntityReader(
            OutgoingBody.APACHE4, "org.apache.http.HttpEntity", "Apache HttpClient 4"));
  }
}
