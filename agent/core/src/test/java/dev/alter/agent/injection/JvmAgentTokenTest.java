package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.OutgoingRequest;
import dev.alter.agent.bootstrap.RequestRewrite;
import dev.alter.agent.resolver.GrantResolver;
import dev.alter.agent.resolver.ResolvedCredential;
import dev.alter.contract.CredentialPayload;
import dev.alter.contract.DestinationPolicy;
import dev.alter.contract.InjectionSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A JVM configured as a managed agent sends its token as the identity of requests that carry none.
 */
class JvmAgentTokenTest {
  private static final String JVM_TOKEN = "alter_key_agent_" + "J".repeat(43);
  private final List<String> identitiesSent = new CopyOnWriteArrayList<>();
  private final GrantResolver<RequestRewrite> resolver =
      new GrantResolver<>(
          (grant, identity, method, url) -> {
            identitiesSent.add(String.valueOf(identity));
            return CompletableFuture.completedFuture(
                new ResolvedCredential(
                    "grt_1",
                    1,
                    CredentialPayload.single("sk_1"),
                    InjectionSpec.headers(
                        List.of(
                            new InjectionSpec.HeaderTemplate(
                                "Authorization", "Bearer {credential}", false))),
                    DestinationPolicy.of(List.of("https://api.stripe.com")),
                    60));
          },
          Clock.systemUTC(),
          Duration.ofSeconds(1),
          Duration.ofMinutes(15),
          new InjectionApplier());

  private static OutgoingRequest tagged() {
    return new OutgoingRequest("GET", "https", "api.stripe.com", 443, "/v1/charges")
        .header("alter-grant", "grt_1");
  }

  @Test
  void requestWithoutAlterIdentityIsResolvedAsTheJvmsAgent() throws Exception {
    AlterRequestInjector injector = AlterRequestInjector.resolvingWith(resolver, JVM_TOKEN);

    assertThat(injector.rewrite(tagged()).addValue(0)).isEqualTo("Bearer sk_1");
    assertThat(identitiesSent).containsExactly(JVM_TOKEN);
  }

  @Test
  void anIdentityTheRequestCarriesWinsOverTheJvmsToken() throws Exception {
    AlterRequestInjector injector = AlterRequestInjector.resolvingWith(resolver, JVM_TOKEN);

    injector.rewrite(tagged().header("alter-identity", "eyJ.user.jwt"));
    assertThat(identitiesSent).containsExactly("eyJ.user.jwt");
  }

  @Test
  void withoutAJvmTokenNoIdentityIsSent() throws Exception {
    AlterRequestInjector.resolvingWith(resolver).rewrite(tagged());
    assertThat(identitiesSent).containsExactly("null");
  }
}
