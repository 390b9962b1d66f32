package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.RequestRewrite;
import org.junit.jupiter.api.Test;

/** {@link RequestRewrite} lives in agent/bootstrap, which has no tests of its own. */
class RequestRewriteTest {

  @Test
  void removesMatchesHeaderNamesInAnyCase() {
    RequestRewrite rewrite =
        RequestRewrite.builder().put("DD-API-KEY", "v").remove("X-Optional").build();

    for (String name :
        new String[] {
          "alter-grant",
          "ALTER-GRANT",
          "Alter-Identity",
          "dd-api-key",
          "Dd-Api-Key",
          "x-optional",
          "X-OPTIONAL"
        }) {
      assertThat(rewrite.removes(name)).as(name).isTrue();
    }
    for (String name :
        new String[] {"alter-grants", "alter-gran", "accept", "dd-api-keys", "x-optiona1", ""}) {
      assertThat(rewrite.removes(name)).as(name).isFalse();
    }
  }

  @Test
  void nonAsciiNamesCompareByTheirLowerCaseAsBefore() {
    RequestRewrite rewrite = RequestRewrite.builder().remove("k").build();

    // KELVIN SIGN lower-cases to 'k'; DOTLESS I upper-cases to 'I' but lower-cases to itself
    assertThat(rewrite.removes("\u212A")).isTrue();
    assertThat(RequestRewrite.builder().remove("i").build().removes("\u0131")).isFalse();
  }

  @Test
  void stripOnlyIsOneSharedRewriteThatAddsNothing() {
    RequestRewrite strip = RequestRewrite.stripOnly();

    assertThat(RequestRewrite.stripOnly()).isSameAs(strip);
    assertThat(strip.addCount()).isZero();
    assertThat(strip.pathAndQuery()).isNull();
    assertThat(strip.removeHeaders()).containsExactly("alter-grant", "alter-identity");
  }
}
