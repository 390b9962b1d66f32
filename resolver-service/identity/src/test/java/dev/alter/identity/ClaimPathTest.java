package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimPathTest {

  @Test
  void topLevelArray() {
    assertThat(ClaimPath.parse("groups").valuesIn(Map.of("groups", List.of("eng", "ops"))))
        .containsExactly("eng", "ops");
  }

  @Test
  void nestedPath() {
    Map<String, Object> claims = Map.of("o", Map.of("rol", List.of("billing-admins")));

    assertThat(ClaimPath.parse("o.rol").valuesIn(claims)).containsExactly("billing-admins");
  }

  @Test
  void deeplyNestedPathAsKeycloakWritesRealmRoles() {
    Map<String, Object> claims =
        Map.of("realm_access", Map.of("roles", List.of("offline_access", "sre")));

    assertThat(ClaimPath.parse("realm_access.roles").valuesIn(claims))
        .containsExactly("offline_access", "sre");
  }

  @Test
  void claimNameThatContainsDotsNeedsNoEscaping() {
    Map<String, Object> claims = Map.of("https://example.com/roles", List.of("admin"));

    assertThat(ClaimPath.parse("https://example.com/roles").valuesIn(claims))
        .containsExactly("admin");
  }

  @Test
  void nestedPathBelowADottedClaimName() {
    Map<String, Object> claims =
        Map.of("https://example.com/claims", Map.of("groups", List.of("ops")));

    assertThat(ClaimPath.parse("https://example.com/claims.groups").valuesIn(claims))
        .containsExactly("ops");
  }

  @Test
  void spaceSeparatedString() {
    assertThat(ClaimPath.parse("roles").valuesIn(Map.of("roles", " reader writer\tadmin ")))
        .containsExactly("reader", "writer", "admin");
  }

  @Test
  void numericIdsAreKeptAndObjectsIgnored() {
    Map<String, Object> claims = Map.of("groups", List.of(42L, "eng", Map.of("id", "x"), "  "));

    assertThat(ClaimPath.parse("groups").valuesIn(claims)).containsExactly("42", "eng");
  }

  @Test
  void absentOrUnusableValuesGiveNoGroups() {
    assertThat(ClaimPath.parse("groups").valuesIn(Map.of())).isEmpty();
    assertThat(ClaimPath.parse("o.rol").valuesIn(Map.of("o", "not-an-object"))).isEmpty();
    assertThat(ClaimPath.parse("o.rol").valuesIn(Map.of("o", Map.of("other", List.of("x")))))
        .isEmpty();
    assertThat(ClaimPath.parse("groups").valuesIn(Map.of("groups", true))).isEmpty();
  }

  @Test
  void malformedPathsAreRefused() {
    for (String bad : new String[] {"", " ", ".groups", "groups.", "o..rol", "my groups", "a\tb"}) {
      assertThatThrownBy(() -> ClaimPath.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidIdentityProviderConfig.class)
          .extracting(e -> ((InvalidIdentityProviderConfig) e).field())
          .isEqualTo("group_claim");
    }
  }
}
