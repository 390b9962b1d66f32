package dev.alter.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class MatchedTypeNamesTest {
  @Test
  void namedGivesItsOneName() {
    assertThat(MatchedTypeNames.of(named("okhttp3.internal.connection.Exchange")))
        .containsExactly("okhttp3.internal.connection.Exchange");
  }

  @Test
  void namedOneOfGivesEveryName() {
    assertThat(
            MatchedTypeNames.of(
                namedOneOf(
                    "okhttp3.internal.http1.Http1Codec", "okhttp3.internal.http2.Http2Codec")))
        .containsExactlyInAnyOrder(
            "okhttp3.internal.http1.Http1Codec", "okhttp3.internal.http2.Http2Codec");
  }

  @Test
  void disjunctionOfNamesGivesTheUnion() {
    assertThat(MatchedTypeNames.of(named("a.B").or(namedOneOf("c.D", "e.F$G"))))
        .containsExactlyInAnyOrder("a.B", "c.D", "e.F$G");
  }

  @Test
  void conjunctionIsBoundedByItsNamedSide() {
    assertThat(MatchedTypeNames.of(named("a.B").and(isPublic()))).containsExactly("a.B");
    assertThat(MatchedTypeNames.of(isPublic().and(namedOneOf("a.B", "c.D"))))
        .containsExactlyInAnyOrder("a.B", "c.D");
  }

  @Test
  void matchersThatAreNotAFixedListOfNamesAreUnknown() {
    assertThat(MatchedTypeNames.of(nameStartsWith("okhttp3."))).isNull();
    assertThat(MatchedTypeNames.of(hasSuperType(named("okhttp3.internal.http.ExchangeCodec"))))
        .isNull();
    // one open side makes the whole disjunction open
    assertThat(MatchedTypeNames.of(named("a.B").or(nameStartsWith("c.")))).isNull();
    assertThat(MatchedTypeNames.of(isPublic())).isNull();
  }

  @Test
  void typeInstrumentationsGetTheirNamesByDefault() {
    TypeInstrumentation byName =
        new TypeInstrumentation() {
          @Override
          public ElementMatcher<TypeDescription> typeMatcher() {
            return named("jdk.internal.net.http.Http1Request");
          }

          @Override
          public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
            return builder;
          }
        };
    assertThat(byName.typeNames()).containsExactly("jdk.internal.net.http.Http1Request");
  }
}
