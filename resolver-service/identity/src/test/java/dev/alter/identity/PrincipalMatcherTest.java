package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.alter.contract.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalMatcherTest {
  private static final Instant EXP = Instant.parse("2026-11-28T12:10:00Z");
  private final PrincipalMatcher matcher = new PrincipalMatcher();

  private static VerifiedIdentity user(String idp, String userId, String... groups) {
    return new VerifiedIdentity(idp, userId, Set.of(groups), EXP, "ab".repeat(32));
  }

  private static VerifiedAgent agent(String agentId) {
    return new VerifiedAgent(agentId, "cd".repeat(32));
  }

  /** A grant as the service would hand it over: its id plus its principal. */
  record Grant(String id, GrantPrincipal principal) {}

  @Test
  void userGrant() {
    GrantPrincipal grant = new GrantPrincipal.User("alice", "idp_corp");

    assertThat(matcher.match(grant, user("idp_corp", "alice")).allowed()).isTrue();
    assertMismatch(grant, user("idp_corp", "bob"), MismatchReason.OTHER_USER);
    assertMismatch(grant, user("idp_partner", "alice"), MismatchReason.OTHER_IDP);
    assertMismatch(grant, agent("agt_build"), MismatchReason.WRONG_IDENTITY_KIND);
    assertMismatch(grant, null, MismatchReason.IDENTITY_REQUIRED);
  }

  @Test
  void groupGrant() {
    GrantPrincipal grant = new GrantPrincipal.Group("ops", "idp_corp");

    assertThat(matcher.match(grant, user("idp_corp", "alice", "eng", "ops")).allowed()).isTrue();
    assertThat(matcher.match(grant, user("idp_corp", "carol", "ops")).allowed())
        .as("any member")
        .isTrue();
    assertMismatch(grant, user("idp_corp", "alice", "eng"), MismatchReason.GROUP_NOT_IN_TOKEN);
    assertMismatch(grant, user("idp_partner", "alice", "ops"), MismatchReason.OTHER_IDP);
    assertMismatch(grant, agent("agt_build"), MismatchReason.WRONG_IDENTITY_KIND);
    assertMismatch(grant, null, MismatchReason.IDENTITY_REQUIRED);
  }

  @Test
  void agentGrant() {
    GrantPrincipal grant = new GrantPrincipal.Agent("agt_build");

    assertThat(matcher.match(grant, agent("agt_build")).allowed()).isTrue();
    assertMismatch(grant, agent("agt_deploy"), MismatchReason.OTHER_AGENT);
    assertMismatch(grant, user("idp_corp", "agt_build"), MismatchReason.WRONG_IDENTITY_KIND);
    assertMismatch(grant, null, MismatchReason.IDENTITY_REQUIRED);
  }

  @Test
  void systemGrantNeedsNoIdentity() {
    GrantPrincipal grant = new GrantPrincipal.System("prod-monitoring");

    assertThat(matcher.match(grant, null).allowed()).isTrue();
    assertThat(matcher.match(grant, user("idp_corp", "alice")).errorCode()).isEmpty();
  }

  @Test
  void storedPrincipalsMapOntoGrantPrincipals() {
    assertThat(GrantPrincipal.fromStored(Map.of("type", "system", "label", "prod")))
        .isEqualTo(new GrantPrincipal.System("prod"));
    assertThat(
            GrantPrincipal.fromStored(
                Map.of("type", "user", "user_id", "alice", "idp_id", "idp_corp")))
        .isEqualTo(new GrantPrincipal.User("alice", "idp_corp"));
    assertThat(
            GrantPrincipal.fromStored(
                Map.of("type", "group", "external_group_id", "ops", "idp_id", "idp_corp")))
        .isEqualTo(new GrantPrincipal.Group("ops", "idp_corp"));
    assertThat(GrantPrincipal.fromStored(Map.of("type", "agent", "agent_id", "agt_build")))
        .isEqualTo(new GrantPrincipal.Agent("agt_build"));
    assertThatThrownBy(() -> GrantPrincipal.fromStored(Map.of("type", "user", "user_id", "alice")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idp_id");
    assertThatThrownBy(() -> GrantPrincipal.fromStored(Map.of("type", "robot")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void perUserPatternPicksEachUsersOwnGrant() throws Exception {
    List<Grant> datadogGrants =
        List.of(
            new Grant("grt_alice", new GrantPrincipal.User("alice", "idp_corp")),
            new Grant("grt_bob", new GrantPrincipal.User("bob", "idp_corp")),
            new Grant("grt_system", new GrantPrincipal.System("shared")));

    assertThat(
            matcher
                .selectGrant("datadog", datadogGrants, Grant::principal, user("idp_corp", "alice"))
                .id())
        .isEqualTo("grt_alice");
    assertThat(
            matcher
                .selectGrant("datadog", datadogGrants, Grant::principal, user("idp_corp", "bob"))
                .id())
        .isEqualTo("grt_bob");
  }

  @Test
  void groupAndAgentGrantsAreSelectableToo() throws Exception {
    List<Grant> grants =
        List.of(
            new Grant("grt_ops", new GrantPrincipal.Group("ops", "idp_corp")),
            new Grant("grt_build", new GrantPrincipal.Agent("agt_build")));

    assertThat(
            matcher
                .selectGrant("stripe", grants, Grant::principal, user("idp_corp", "carol", "ops"))
                .id())
        .isEqualTo("grt_ops");
    assertThat(matcher.selectGrant("stripe", grants, Grant::principal, agent("agt_build")).id())
        .isEqualTo("grt_build");
  }

  @Test
  void noMatchingGrantIsGrantNotFound() {
    List<Grant> grants =
        List.of(
            new Grant("grt_bob", new GrantPrincipal.User("bob", "idp_corp")),
            new Grant("grt_system", new GrantPrincipal.System("shared")));

    GrantSelectionFailed failed =
        catchThrowableOfType(
            GrantSelectionFailed.class,
            () ->
                matcher.selectGrant(
                    "datadog", grants, Grant::principal, user("idp_corp", "alice")));

    assertThat(failed.errorCode()).isEqualTo(ErrorCode.GRANT_NOT_FOUND);
    assertThat(failed.matches()).isZero();
    assertThat(failed).hasMessageContaining("@datadog").hasMessageContaining("user:idp_corp/alice");
  }

  @Test
  void systemGrantsAreNeverSelectedByProviderEvenWithoutIdentity() {
    List<Grant> grants = List.of(new Grant("grt_system", new GrantPrincipal.System("shared")));

    GrantSelectionFailed failed =
        catchThrowableOfType(
            GrantSelectionFailed.class,
            () -> matcher.selectGrant("datadog", grants, Grant::principal, null));

    assertThat(failed.errorCode()).isEqualTo(ErrorCode.GRANT_NOT_FOUND);
    assertThat(failed).hasMessageContaining("alter-identity");
  }

  @Test
  void severalMatchingGrantsAreAmbiguous() {
    List<Grant> grants =
        List.of(
            new Grant("grt_alice", new GrantPrincipal.User("alice", "idp_corp")),
            new Grant("grt_ops", new GrantPrincipal.Group("ops", "idp_corp")));

    GrantSelectionFailed failed =
        catchThrowableOfType(
            GrantSelectionFailed.class,
            () ->
                matcher.selectGrant(
                    "datadog", grants, Grant::principal, user("idp_corp", "alice", "ops")));

    assertThat(failed.errorCode()).isEqualTo(ErrorCode.AMBIGUOUS_GRANT);
    assertThat(failed.matches()).isEqualTo(2);
  }

  private void assertMismatch(
      GrantPrincipal grant, AuthenticatedIdentity identity, MismatchReason reason) {
    PrincipalDecision decision = matcher.match(grant, identity);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).contains(reason);
    assertThat(decision.errorCode()).contains(ErrorCode.PRINCIPAL_MISMATCH);
  }
}
