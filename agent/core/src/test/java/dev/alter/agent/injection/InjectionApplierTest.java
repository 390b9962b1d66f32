package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.InjectionSpec;
import dev.alter.contract.InjectionSpec.HeaderTemplate;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InjectionApplierTest {
  private final InjectionApplier applier = new InjectionApplier();

  @Test
  void bearerTemplateReplacesTheAppsAuthorizationHeader() throws Exception {
    RequestRewrite rewrite =
        applier.apply(
            "grt_1",
            InjectionSpec.headers(
                List.of(new HeaderTemplate("Authorization", "Bearer {credential}", false))),
            CredentialPayload.single("sk_live_1"),
            "/v1/charges");

    assertThat(rewrite.removes("authorization")).isTrue();
    assertThat(rewrite.removes("alter-grant")).isTrue();
    assertThat(rewrite.removes("alter-identity")).isTrue();
    assertThat(rewrite.addCount()).isEqualTo(1);
    assertThat(rewrite.addName(0)).isEqualTo("Authorization");
    assertThat(rewrite.addValue(0)).isEqualTo("Bearer sk_live_1");
    assertThat(rewrite.pathAndQuery()).isNull();
    assertThat(rewrite.toString()).doesNotContain("sk_live_1");
  }

  @Test
  void optionalHeaderIsLeftOutWhenItsPartIsNotStored() throws Exception {
    InjectionSpec datadog =
        InjectionSpec.headers(
            List.of(
                new HeaderTemplate("DD-API-KEY", "{credential}", false),
                new HeaderTemplate("DD-APPLICATION-KEY", "{application_key}", true)));

    RequestRewrite apiKeyOnly =
        applier.apply("grt_1", datadog, CredentialPayload.single("api"), "/");
    assertThat(apiKeyOnly.addCount()).isEqualTo(1);
    assertThat(apiKeyOnly.addName(0)).isEqualTo("DD-API-KEY");
    assertThat(apiKeyOnly.removes("dd-application-key"))
        .as("an app-set copy is still dropped")
        .isTrue();

    RequestRewrite both =
        applier.apply(
            "grt_1",
            datadog,
            CredentialPayload.of(Map.of("credential", "api", "application_key", "app")),
            "/");
    assertThat(both.addCount()).isEqualTo(2);
    assertThat(both.addValue(1)).isEqualTo("app");
  }

  @Test
  void requiredPartMissingFailsNamingThePartNotAValue() {
    InjectionSpec spec =
        InjectionSpec.headers(List.of(new HeaderTemplate("X-Key", "{secondary}", false)));

    assertThatThrownBy(() -> applier.apply("grt_1", spec, CredentialPayload.single("value-1"), "/"))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("validation_failed");
              assertThat(e.getMessage()).contains("secondary").doesNotContain("value-1");
            });
  }

  @Test
  void basicEncodesUserNameAndCredential() throws Exception {
    RequestRewrite rewrite =
        applier.apply(
            "grt_1", InjectionSpec.basic("AC123"), CredentialPayload.single("token"), "/");

    assertThat(rewrite.addName(0)).isEqualTo("Authorization");
    String encoded = rewrite.addValue(0).substring("Basic ".length());
    assertThat(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
        .isEqualTo("AC123:token");
  }

  @Test
  void queryParameterIsAppendedEncodedAndReplacesTheAppsOwn() throws Exception {
    RequestRewrite rewrite =
        applier.apply(
            "grt_1",
            InjectionSpec.query("api_key"),
            CredentialPayload.single("a b&c=d/é"),
            "/v1/x?api_key=placeholder&q=1");

    assertThat(rewrite.pathAndQuery()).isEqualTo("/v1/x?q=1&api_key=a%20b%26c%3Dd%2F%C3%A9");
    assertThat(rewrite.addCount()).isZero();
  }

  @Test
  void queryParameterOnAPathWithoutQuery() {
    assertThat(InjectionApplier.withQueryParameter("/v1/x", "key", "v")).isEqualTo("/v1/x?key=v");
    assertThat(InjectionApplier.withQueryParameter("/", "key", "v~-._")).isEqualTo("/?key=v~-._");
    assertThat(InjectionApplier.withQueryParameter("?a=1#frag", "key", "v"))
        .as("no path, fragment dropped")
        .isEqualTo("/?a=1&key=v");
  }

  @Test
  void awsSigV4IsNeverInjectedAsHeaders() {
    assertThatThrownBy(
            () ->
                applier.apply(
                    "grt_aws",
                    InjectionSpec.awsSigV4("eu-west-1", "s3"),
                    CredentialPayload.single("k"),
                    "/"))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> {
              assertThat(e.code()).isEqualTo("validation_failed");
              assertThat(e.grantId()).isEqualTo("grt_aws");
              assertThat(e.getMessage()).contains("SigV4");
            });
  }

  @Test
  void credentialWithLineBreakIsNeverPutInAHeader() {
    InjectionSpec spec =
        InjectionSpec.headers(List.of(new HeaderTemplate("X-Key", "{credential}", false)));

    assertThatThrownBy(
            () -> applier.apply("grt_1", spec, CredentialPayload.single("abc\r\nX-Evil: 1"), "/"))
        .isInstanceOfSatisfying(
            AlterCredentialException.class,
            e -> assertThat(e.getMessage()).doesNotContain("X-Evil"));
  }

  @Test
  void headerAndBasicRewritesArePreparedOncePerResolvedCredential() throws Exception {
    ResolvedCredential bearer =
        resolved(
            InjectionSpec.headers(
                List.of(new HeaderTemplate("Authorization", "Bearer {credential}", false))),
            "sk_1");
    RequestRewrite prepared = applier.prepare(bearer);
    assertThat(applier.apply("grt_1", bearer, prepared, "/b")).isSameAs(prepared);
    assertThat(prepared.addValue(0)).isEqualTo("Bearer sk_1");
    assertThat(prepared.pathAndQuery()).isNull();

    ResolvedCredential basic = resolved(InjectionSpec.basic("AC123"), "pw");
    assertThat(applier.prepare(basic).addValue(0))
        .isEqualTo(applier.apply("grt_1", basic.injection(), basic.payload(), "/").addValue(0));
  }

  @Test
  void queryRewritesFollowEachRequestsTarget() throws Exception {
    ResolvedCredential query = resolved(InjectionSpec.query("api_key"), "k1");

    assertThat(applier.prepare(query)).as("built per request").isNull();
    assertThat(applier.apply("grt_1", query, null, "/a?x=1").pathAndQuery())
        .isEqualTo("/a?x=1&api_key=k1");
    assertThat(applier.apply("grt_1", query, null, "/b").pathAndQuery()).isEqualTo("/b?api_key=k1");
  }

  @Test
  void aSpecThatCannotBeAppliedIsNotPreparedAndFailsOnEveryRequest() {
    ResolvedCredential missingPart =
        resolved(
            InjectionSpec.headers(List.of(new HeaderTemplate("X-Key", "{secondary}", false))),
            "value-1");

    assertThat(applier.prepare(missingPart)).isNull();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> applier.apply("@example", missingPart, null, "/"))
          .isInstanceOfSatisfying(
              AlterCredentialException.class,
              e -> {
                assertThat(e.code()).isEqualTo("validation_failed");
                assertThat(e.grantId()).isEqualTo("@example");
              });
    }
  }

  private static ResolvedCredential resolved(InjectionSpec spec, String value) {
    return new ResolvedCredential(
        "grt_1",
        1,
        CredentialPayload.single(value),
        spec,
        DestinationPolicy.of(List.of("https://api.example.com")),
        60);
  }
}
