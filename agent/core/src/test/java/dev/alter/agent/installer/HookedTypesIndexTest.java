package dev.alter.agent.installer;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.tooling.InstrumentationModule;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class HookedTypesIndexTest {
  private static TypeInstrumentation matching(ElementMatcher<TypeDescription> matcher) {
    return new TypeInstrumentation() {
      @Override
      public ElementMatcher<TypeDescription> typeMatcher() {
        return matcher;
      }

      @Override
      public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
        return builder;
      }
    };
  }

  private static InstrumentationModule module(String name, TypeInstrumentation... types) {
    return new InstrumentationModule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(types);
      }
    };
  }

  @Test
  void theBuildsIndexReadsBackToTheModulesNames() {
    String text =
        HookedTypesIndex.format(
            List.of(
                module(
                    "okhttp",
                    matching(named("okhttp3.internal.connection.Exchange")),
                    matching(
                        namedOneOf(
                            "okhttp3.internal.http1.Http1Codec",
                            "okhttp3.internal.http2.Http2Codec"))),
                module("java-http-client", matching(named("jdk.internal.net.http.Http1Request")))));

    HookedTypesIndex index = HookedTypesIndex.parse(text);

    assertThat(index.enabledModules()).containsExactly("okhttp", "java-http-client");
    assertThat(index.hookedBy(index.enabledModules()))
        .containsExactlyInAnyOrder(
            "okhttp3.internal.connection.Exchange", "okhttp3.internal.http1.Http1Codec",
            "okhttp3.internal.http2.Http2Codec", "jdk.internal.net.http.Http1Request");
    assertThat(index.hookedBy(List.of("java-http-client")))
        .containsExactly("jdk.internal.net.http.Http1Request");
  }

  @Test
  void aModuleThatMatchesByMoreThanNamesMakesTheWholeSetOpen() {
    HookedTypesIndex index =
        HookedTypesIndex.parse(
            HookedTypesIndex.format(
                List.of(
                    module("okhttp", matching(named("okhttp3.internal.connection.Exchange"))),
                    module("custom", matching(hasSuperType(named("java.io.OutputStream")))))));

    assertThat(index.hookedBy(List.of("okhttp")))
        .containsExactly("okhttp3.internal.connection.Exchange");
    assertThat(index.hookedBy(List.of("okhttp", "custom"))).isNull();
  }

  @Test
  void disabledModulesAreLeftOut() {
    HookedTypesIndex index =
        HookedTypesIndex.parse(
            "okhttp\tokhttp3.A\nhttp-url-connection\tsun.net.www.http.HttpClient\n");
    System.setProperty("alter.instrumentation.http-url-connection.enabled", "false");
    try {
      assertThat(index.enabledModules()).containsExactly("okhttp");
      assertThat(index.hookedBy(index.enabledModules())).containsExactly("okhttp3.A");
    } finally {
      System.clearProperty("alter.instrumentation.http-url-connection.enabled");
    }
  }
}
