package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class AgentInstallerTest {
  private final ElementMatcher<TypeDescription> ignored = AgentInstaller.ignoredTypes();

  private boolean ignores(String name) {
    return ignored.matches(new TypeDescription.Latent(name, 0, TypeDescription.Generic.OBJECT));
  }

  @Test
  void jdkHttpClientInternalsStayInstrumentable() {
    assertThat(ignores("jdk.internal.net.http.Http1Request")).isFalse();
    assertThat(ignores("jdk.internal.net.http.Http2Connection")).isFalse();
  }

  @Test
  void restOfTheJdkAndTheAgentItselfAreIgnored() {
    assertThat(ignores("java.lang.String")).isTrue();
    assertThat(ignores("jdk.internal.misc.Unsafe")).isTrue();
    assertThat(ignores("sun.net.www.protocol.https.HttpsURLConnectionImpl")).isTrue();
    assertThat(ignores("dev.alter.agent.resolver.GrantResolver")).isTrue();
  }

  @Test
  void applicationLibrariesAreNotIgnored() {
    assertThat(ignores("okhttp3.internal.http1.Http1ExchangeCodec")).isFalse();
    assertThat(ignores("org.apache.hc.core5.http.impl.io.AbstractMessageWriter")).isFalse();
  }

  @Test
  void theJdkClassesHttpUrlConnectionIsHookedInAreNotIgnored() {
    assertThat(ignores("sun.net.www.http.HttpClient")).isFalse();
    assertThat(ignores("sun.net.www.protocol.http.HttpURLConnection")).isFalse();
  }
}
