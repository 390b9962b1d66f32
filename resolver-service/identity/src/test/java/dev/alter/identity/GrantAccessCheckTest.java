package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.alter.contract.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user pattern: each user stores their own Datadog key (own secret, own user grant), and
 * the backend calls with {@code alter-grant: @datadog} plus the user's JWT.
 */
class GrantAccessCheckTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

  record Grant(String id, GrantPrincipal principal) {}

  private final RSAKey corpKey = TestKeys.rsa("rsa-1");
  private final List<Grant> datadogGrants =
      List.of(
          new Grant("grt_alice", new GrantPrincipal.User("alice", "idp_corp")),
          new Grant("grt_bob", new GrantPrincipal.User("bob", "idp_corp")),
          new Grant("grt_shared", new GrantPrincipal.System("shared-dashboards")));
  private GrantAccessCheck check;

  @BeforeEach
  void check() {
    IdentityProviders providers =
        new IdentityProviders(JwksFetchPolicy.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    providers.put(
        IdentityProviderConfig.builder()
            .idpId("idp_corp")
            .issuer(Tokens.ISSUER)
            .jwks(JwksLocation.jwksJson(new JWKSet(corpKey).toString(true)))
            .audiences(Tokens.AUDIENCE)
            .algorithms(SigningAlgorithm.RS256)
            .build());
    AgentTokenVerifier noAgents = AgentTokenVerifier.stored(keyId -> Optional.empty());
    check =
        new GrantAccessCheck(
            new PresentedIdentityVerifier(providers, noAgents), new PrincipalMatcher());
  }

  @Test
  void eachUsersJwtSelectsTheirOwnGrant() {
    GrantAccessCheck.SelectedGrant<Grant> alice =
        check.select("datadog", datadogGrants, Grant::principal, jwt("alice"));
    GrantAccessCheck.SelectedGrant<Grant> bob =
        check.select("datadog", datadogGrants, Grant::principal, jwt("bob"));

    assertThat(alice.grant()).map(Grant::id).contains("grt_alice");
    assertThat(alice.decision().subject()).contains("user:idp_corp/alice");
    assertThat(alice.decision().notAfter()).contains(NOW.plusSeconds(600));
    assertThat(bob.grant()).map(Grant::id).contains("grt_bob");
  }

  @Test
  void aUserWithoutOwnGrantGetsGrantNotFound() {
    GrantAccessCheck.SelectedGrant<Grant> carol =
        check.select("datadog", datadogGrants, Grant::principal, jwt("carol"));

    assertThat(carol.grant()).isEmpty();
    assertThat(carol.decision().errorCode()).contains(ErrorCode.GRANT_NOT_FOUND);
    assertThat(carol.decision().subject()).contains("user:idp_corp/carol");
  }

  @Test
  void noIdentityGetsGrantNotFoundNotTheSystemGrant() {
    GrantAccessCheck.SelectedGrant<Grant> none =
        check.select("datadog", datadogGrants, Grant::principal, null);

    assertThat(none.grant()).isEmpty();
    assertThat(none.decision().errorCode()).contains(ErrorCode.GRANT_NOT_FOUND);
  }

  @Test
  void twoMatchingGrantsAreAmbiguous() {
    List<Grant> twice =
        List.of(
            new Grant("grt_alice_1", new GrantPrincipal.User("alice", "idp_corp")),
            new Grant("grt_alice_2", new GrantPrincipal.User("alice", "idp_corp")));

    assertThat(
            check.select("datadog", twice, Grant::principal, jwt("alice")).decision().errorCode())
        .contains(ErrorCode.AMBIGUOUS_GRANT);
  }

  @Test
  void anInvalidJwtIsIdentityInvalidBeforeAnySelection() {
    String expired =
        Tokens.sign(
            corpKey, JWSAlgorithm.RS256, Tokens.claims(NOW.minusSeconds(7200), "alice").build());

    GrantAccessCheck.SelectedGrant<Grant> selected =
        check.select("datadog", datadogGrants, Grant::principal, expired);

    assertThat(selected.grant()).isEmpty();
    assertThat(selected.decision().errorCode()).contains(ErrorCode.IDENTITY_INVALID);
    assertThat(selected.decision().reason()).contains("expired");
  }

  private String jwt(String user) {
    return Tokens.sign(corpKey, JWSAlgorithm.RS256, Tokens.claims(NOW, user).build());
  }
}
